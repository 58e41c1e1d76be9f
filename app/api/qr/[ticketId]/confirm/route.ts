import { answerRoute } from "../answer";

/** The scanner approves: the desktop may now claim a session. */
export const POST = answerRoute("confirm");
