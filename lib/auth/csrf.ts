import "server-only";
import { createHash, randomBytes } from "node:crypto";

/**
 * next-auth's CSRF token (double submit), made and read the way next-auth
 * does (`next-auth/core/lib/csrf-token`): the cookie holds `token|sha256(token
 * + secret)`, a form sends `token` back. Done before the page renders
 * (proxy.ts), so a server-rendered form carries a token that next-auth accepts
 * and works without JavaScript.
 */
export const csrfCookieName = (secure: boolean) => `${secure ? "__Host-" : ""}next-auth.csrf-token`;

/** The request header by which proxy.ts hands the page its token (never the client's own). */
export const CSRF_HEADER = "x-qrl-csrf-token";

const hashOf = (token: string, secret: string) =>
  createHash("sha256").update(`${token}${secret}`).digest("hex");

/** The token of a valid cookie, or a new token and the cookie value to set. */
export function csrfFromCookie(
  cookieValue: string | undefined,
  secret: string,
): { token: string; cookie?: string } {
  const [token = "", hash] = (cookieValue ?? "").split("|");
  if (token && hash === hashOf(token, secret)) return { token };
  const fresh = randomBytes(32).toString("hex");
  return { token: fresh, cookie: `${fresh}|${hashOf(fresh, secret)}` };
}
