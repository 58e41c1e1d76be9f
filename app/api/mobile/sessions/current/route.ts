import { forgetMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { noContent } from "@/lib/http/response";
import { signOutSession } from "@/lib/sessions/sign-out";

/** Sign the native app out: its session (with the computers it approved) ends at once. */
const signOut = route({ auth: "approver" }, async ({ req, approver }) => {
  if (!approver.token) throw new ApiError("unauthorized", "Send the bearer token to revoke.");
  await signOutSession(approver.userId, approver.sessionId, {
    by: "phone",
    ip: clientIp(req.headers),
  });
  await forgetMobileToken(approver.token);
  return noContent();
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ DELETE: signOut });
