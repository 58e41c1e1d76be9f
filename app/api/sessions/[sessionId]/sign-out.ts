import { authenticateApprover } from "@/lib/auth/approver";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { signOutWebSession } from "@/lib/sessions/sign-out";
import { sessionParams } from "./schema";

/** Signs one of the user's computers out; `reported`: "This wasn't me". 404 for anyone else's. */
export function signOutRoute(reported: boolean) {
  return route({ params: sessionParams }, async ({ req, params }) => {
    const { userId } = await authenticateApprover(req);
    const ended = await signOutWebSession(userId, params.sessionId, {
      by: "phone",
      reported,
      ip: clientIp(req.headers),
    });
    if (!ended) {
      throw new ApiError("not_found", "No such signed-in computer; it may be signed out already.");
    }
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  });
}
