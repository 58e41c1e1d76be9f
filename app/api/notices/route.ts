import { noticeList } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { allNotices } from "@/lib/notices/notices";

/**
 * New sign-ins on computers, newest first (the one this phone approved
 * marked `approvedHere`), and passkeys changed by the account's other phones.
 */
const list = route(
  {
    summary:
      "New sign-ins on computers (last 7 days, not dismissed; the ones this phone approved marked `approvedHere`) and passkeys added or removed by the account's other phones",
    tag: "notices",
    auth: "approver",
    ok: [200, noticeList],
    errors: [401, 403, 503],
  },
  async ({ approver, reply }) => reply(await allNotices(approver.userId, approver.sessionId)),
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: list });
