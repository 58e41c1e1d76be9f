import { authenticateApprover } from "@/lib/auth/approver";
import { json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { otherMethods } from "@/lib/http/other-methods";
import { clientIp } from "@/lib/http/request-info";
import { signOutAllWebSessions } from "@/lib/sessions/sign-out";
import { webSessionView } from "@/lib/sessions/views";
import { listWebSessions } from "@/lib/sessions/web-sessions";

/** The computers signed in to this account by QR, most recently seen first. */
export const GET = route({}, async ({ req }) => {
  const { userId } = await authenticateApprover(req);
  const sessions = await listWebSessions(userId);
  return json({ sessions: sessions.map(webSessionView) });
});

/** Signs every one of them out. */
export const DELETE = route({}, async ({ req }) => {
  const { userId } = await authenticateApprover(req);
  const signedOut = await signOutAllWebSessions(userId, clientIp(req.headers));
  return json({ signedOut });
});

export const { POST, PUT, PATCH } = otherMethods(["GET", "DELETE"]);
