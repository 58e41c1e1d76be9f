import { otherMethods } from "@/lib/http/other-methods";
import { answerRoute } from "../answer";

/** The scanner approves: the desktop may now claim a session. */
export const POST = answerRoute("confirm");

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
