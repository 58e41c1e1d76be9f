import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { signOutAllWebSessions } from "@/lib/sessions/sign-out";
import { webSessionView } from "@/lib/sessions/views";
import { listWebSessions } from "@/lib/sessions/web-sessions";

/** The computers signed in to this account by QR, most recently seen first. */
const list = route({ auth: "approver" }, async ({ approver }) => {
  const sessions = await listWebSessions(approver.userId);
  return json({ sessions: sessions.map(webSessionView) });
});

/** Signs every one of them out. */
const signOutAll = route({ auth: "approver" }, async ({ req, approver }) => {
  const signedOut = await signOutAllWebSessions(approver.userId, clientIp(req.headers));
  return json({ signedOut });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: list,
  DELETE: signOutAll,
});
