import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json, noContent } from "@/lib/http/response";
import { signOutSession } from "@/lib/sessions/sign-out";
import { sessionParams } from "./schema";

/**
 * Signs one of the user's sessions out (a phone with the computers it
 * approved); `reported`: "This wasn't me". 404 for anyone else's.
 * Sign-out answers 204; a report 200 `{signedOut: n}` (PROTOCOL v2), n
 * counting the computers it ended.
 */
export function signOutRoute(reported: boolean) {
  return route({ auth: "approver", params: sessionParams }, async ({ req, params, approver }) => {
    const ended = await signOutSession(approver.userId, params.sessionId, {
      by: "phone",
      reported,
      ip: clientIp(req.headers),
    });
    if (ended.length === 0) {
      throw new ApiError("not_found", "No such signed-in device; it may be signed out already.");
    }
    return reported ? json({ signedOut: ended.length }) : noContent();
  });
}
