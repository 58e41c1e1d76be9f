import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { noContent } from "@/lib/http/response";
import { signOutWebSession } from "@/lib/sessions/sign-out";
import { sessionParams } from "./schema";

/** Signs one of the user's computers out; `reported`: "This wasn't me". 404 for anyone else's. */
export function signOutRoute(reported: boolean) {
  return route({ auth: "approver", params: sessionParams }, async ({ req, params, approver }) => {
    const ended = await signOutWebSession(approver.userId, params.sessionId, {
      by: "phone",
      reported,
      ip: clientIp(req.headers),
    });
    if (!ended) {
      throw new ApiError("not_found", "No such signed-in computer; it may be signed out already.");
    }
    return noContent();
  });
}
