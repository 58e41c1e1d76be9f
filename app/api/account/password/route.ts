import { passwordChanged } from "@/lib/api/shapes";
import { changePassword } from "@/lib/auth/account-life";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { passwordBody } from "../schema";

/**
 * A new password (the current one is needed): every other session of the
 * account is signed out, on every instance; this one stays. The answer says
 * how many were signed out.
 */
const change = route(
  {
    summary:
      "A new password (the current one is needed; 403 wrong_password otherwise): every other session of the account is signed out, this one stays",
    tag: "account",
    auth: "approver",
    body: passwordBody,
    ok: [200, passwordChanged],
    errors: [400, 401, 403, 415, 429, 503],
  },
  async ({ req, approver, body, reply }) => {
    const signedOut = await changePassword(
      { userId: approver.userId, sessionId: approver.sessionId, ip: clientIp(req.headers) },
      body.currentPassword,
      body.newPassword,
    );
    return reply({ changed: true, signedOut });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: change });
