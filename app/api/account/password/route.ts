import { changePassword } from "@/lib/accounts/life";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { passwordBody } from "../schema";

/**
 * A new password (the current one is needed): every other session of the
 * account is signed out, on every instance; this one stays. The answer says
 * how many were signed out.
 */
const change = route({ auth: "approver", body: passwordBody }, async ({ req, approver, body }) => {
  const signedOut = await changePassword(
    { userId: approver.userId, sessionId: approver.sessionId, ip: clientIp(req.headers) },
    body.currentPassword,
    body.newPassword,
  );
  return json({ changed: true, signedOut });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: change });
