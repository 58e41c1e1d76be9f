import { otherMethods } from "@/lib/http/other-methods";
import { answerRoute } from "../answer";

/** "This wasn't me": declines like deny, and records the report in the user's history and the audit log. */
export const POST = answerRoute("report");

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
