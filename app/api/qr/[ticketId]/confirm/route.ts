import { answerRoute } from "../answer";

/** The scanner approves: the desktop may now claim a session. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = answerRoute("confirm");
