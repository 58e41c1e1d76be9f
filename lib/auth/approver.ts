import "server-only";
import { getToken } from "next-auth/jwt";
import { env } from "../env";
import { parseCookies } from "../http/cookies";
import { ApiError } from "../http/errors";
import type { ApiRequest } from "../http/handler";
import { isCrossSite } from "../http/request-info";
import { resolveMobileToken } from "./mobile-tokens";
import { tokenStillValid } from "./token-valid";

export interface Approver {
  userId: string;
  /** The phone session (registry record id) making the request. */
  sessionId: string;
  /** The bearer token when the request used one (native app). */
  token?: string;
}

/**
 * Authenticates the phone — the one rule of who may approve (PROTOCOL v2):
 * a phone session only, by `Authorization: Bearer <token>` (native app) or
 * the next-auth session cookie of a phone browser. A computer's session
 * cookie is refused with 403 not_an_approver. Cookie requests must come from
 * this site's own pages; bearer requests carry no ambient credential, so they
 * need no CSRF check. Called by the route wrapper for `auth: "approver"`.
 */
export async function authenticateApprover(req: Pick<ApiRequest, "headers">): Promise<Approver> {
  const authorization = req.headers.get("authorization");
  if (authorization !== null) {
    const token = /^Bearer ([\x21-\x7e]{1,200})$/.exec(authorization.trim())?.[1];
    const found = token ? await resolveMobileToken(token) : null;
    if (!token || !found)
      throw new ApiError("unauthorized", "The bearer token is invalid or expired; sign in again.");
    return { userId: found.userId, sessionId: found.sid, token };
  }
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const e = env();
  const session = await getToken({
    req: { headers: req.headers, cookies: parseCookies(req.headers) } as never,
    secret: e.authSecret,
    secureCookie: e.secureCookies,
  });
  if (!session?.sub || !session.sid) throw new ApiError("unauthorized");
  // getToken only decodes the cookie: an over-age or signed-out session must not act either.
  if (!(await tokenStillValid(session))) throw new ApiError("unauthorized");
  if (session.kind !== "phone") throw new ApiError("not_an_approver");
  return { userId: session.sub, sessionId: session.sid };
}
