import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { listSessions, sessionView } from "@/lib/sessions/records";
import { signOutAllOthers } from "@/lib/sessions/sign-out";

/** Every live session of this account, phones and computers, most recently seen first. */
const list = route({ auth: "approver" }, async ({ approver }) => {
  const sessions = await listSessions(approver.userId);
  return json({ sessions: sessions.map((s) => sessionView(s, approver.sessionId)) });
});

/** Signs out every session but the one asking. */
const signOutAll = route({ auth: "approver" }, async ({ req, approver }) => {
  const ip = clientIp(req.headers);
  return json({ signedOut: await signOutAllOthers(approver.userId, approver.sessionId, ip) });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: list,
  DELETE: signOutAll,
});
