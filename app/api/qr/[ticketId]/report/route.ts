import { answerRoute } from "../answer";

/** "This wasn't me": declines like deny, and records the report in the user's history and the audit log. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = answerRoute("report");
