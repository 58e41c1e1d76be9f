import { otherMethods } from "@/lib/http/other-methods";
import { answerRoute } from "../answer";

/** The scanner declines: the desktop is told and gets no session. */
export const POST = answerRoute("deny");

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
