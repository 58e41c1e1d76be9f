import { signedOut } from "@/lib/api/shapes";
import type { Approver } from "@/lib/auth/approver";
import { ApiError } from "@/lib/http/errors";
import { type ApiRequest, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { signOutSession } from "@/lib/sessions/sign-out";
import { sessionParams } from "./schema";

const ERRORS = [400, 401, 403, 404, 503] as const;

/**
 * Signs one of the user's sessions out (a phone with the computers it
 * approved); 404 for anyone else's. Returns the sessions it ended.
 */
async function signOut(req: ApiRequest, approver: Approver, sessionId: string, reported: boolean) {
  const ended = await signOutSession(approver.userId, sessionId, {
    by: "phone",
    reported,
    ip: clientIp(req.headers),
  });
  if (ended.length === 0) {
    throw new ApiError("not_found", "No such signed-in device; it may be signed out already.");
  }
  return ended;
}

/** Sign-out answers 204. */
export const signOutRoute = route(
  {
    summary: "Sign that session out (a phone: with the computers it approved)",
    tag: "session registry",
    auth: "approver",
    params: sessionParams,
    ok: [204, null],
    errors: ERRORS,
  },
  async ({ req, params, approver, reply }) => {
    await signOut(req, approver, params.sessionId, false);
    return reply(null);
  },
);

/** "This wasn't me": 200 `{signedOut: n}` (PROTOCOL v2), n counting the computers it ended. */
export const reportRoute = route(
  {
    summary: "“This wasn't me” for a computer: sign it out and record it",
    tag: "session registry",
    auth: "approver",
    params: sessionParams,
    ok: [200, signedOut],
    errors: ERRORS,
  },
  async ({ req, params, approver, reply }) => {
    const ended = await signOut(req, approver, params.sessionId, true);
    return reply({ signedOut: ended.length });
  },
);
