import "server-only";
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { isCrossSite } from "../http/request-info";
import { resolveMobileToken } from "./mobile-tokens";
import { tokenStillValid } from "./token-valid";

export interface Approver {
  userId: string;
  /** The bearer token when the request used one (native app). */
  token?: string;
}

/**
 * Authenticates the phone: `Authorization: Bearer <token>` (native app) or the
 * next-auth session cookie (phone browser). Cookie requests must come from
 * this site's own pages; bearer requests carry no ambient credential, so they
 * need no CSRF check.
 */
export async function authenticateApprover(req: NextRequest): Promise<Approver> {
  const authorization = req.headers.get("authorization");
  if (authorization !== null) {
    const token = /^Bearer ([\x21-\x7e]{1,200})$/.exec(authorization.trim())?.[1];
    const userId = token ? await resolveMobileToken(token) : null;
    if (!token || !userId)
      throw new ApiError("unauthorized", "The bearer token is invalid or expired; sign in again.");
    return { userId, token };
  }
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const e = env();
  const session = await getToken({ req, secret: e.authSecret, secureCookie: e.secureCookies });
  if (!session?.sub) throw new ApiError("unauthorized");
  // getToken only decodes the cookie: an over-age or signed-out session must not act either.
  if (!(await tokenStillValid(session))) throw new ApiError("unauthorized");
  return { userId: session.sub };
}
