import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { allNotices } from "@/lib/notices/notices";

/**
 * New sign-ins on computers, newest first (the one this phone approved
 * marked `approvedHere`), and passkeys changed by the account's other phones.
 */
const list = route({ auth: "approver" }, async ({ approver }) =>
  json(await allNotices(approver.userId, approver.sessionId)),
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: list });
