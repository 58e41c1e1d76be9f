import { answerRoute } from "../answer";

/** The scanner declines: the desktop is told and gets no session. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = answerRoute("deny");
