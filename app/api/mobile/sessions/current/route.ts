import { forgetMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { signOutSession } from "@/lib/sessions/sign-out";

/** Sign the native app out: its session (with the computers it approved) ends at once. */
const signOut = route(
  {
    summary: "Sign this token out (with the computers it approved)",
    tag: "approver",
    auth: "approver",
    ok: [204, null],
    errors: [401, 503],
  },
  async ({ req, approver, reply }) => {
    if (!approver.token) throw new ApiError("unauthorized", "Send the bearer token to revoke.");
    await signOutSession(approver.userId, approver.sessionId, {
      by: "phone",
      ip: clientIp(req.headers),
    });
    await forgetMobileToken(approver.token);
    return reply(null);
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ DELETE: signOut });
