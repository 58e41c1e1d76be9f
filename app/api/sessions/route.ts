import { sessionList, signedOut } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { listSessions, sessionView } from "@/lib/sessions/records";
import { signOutAllOthers } from "@/lib/sessions/sign-out";

const TAG = "session registry";

/** Every live session of this account, phones and computers, most recently seen first. */
const list = route(
  {
    summary: "Every live session of this user: phones and computers",
    tag: TAG,
    auth: "approver",
    ok: [200, sessionList],
    errors: [401, 403, 503],
  },
  async ({ approver, reply }) => {
    const sessions = await listSessions(approver.userId);
    return reply({ sessions: sessions.map((s) => sessionView(s, approver.sessionId)) });
  },
);

/** Signs out every session but the one asking. */
const signOutAll = route(
  {
    summary: "Sign out every session of this user but this one",
    tag: TAG,
    auth: "approver",
    ok: [200, signedOut],
    errors: [401, 403, 503],
  },
  async ({ req, approver, reply }) => {
    const ip = clientIp(req.headers);
    return reply({ signedOut: await signOutAllOthers(approver.userId, approver.sessionId, ip) });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: list,
  DELETE: signOutAll,
});
