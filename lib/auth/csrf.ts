import { createHash, randomBytes } from "node:crypto";

/**
 * next-auth's CSRF token, made and checked the way next-auth 4 does
 * (core/lib/csrf-token.js: cookie `<token>|sha256(<token><secret>)`), so a
 * page can render it into a form that posts to `/api/auth/callback/*` without
 * JavaScript. The cookie is next-auth's own: a token read from a valid cookie
 * is the one next-auth checks against the form's `csrfToken` field.
 */
export function csrfCookieName(secure: boolean): string {
  return `${secure ? "__Host-" : ""}next-auth.csrf-token`;
}

const hashOf = (token: string, secret: string) =>
  createHash("sha256").update(`${token}${secret}`).digest("hex");

/**
 * The token for a page: the one in a valid cookie, or a new one with the
 * Set-Cookie value that makes it valid (HttpOnly, SameSite=Lax, as next-auth's).
 */
export function csrfForPage(
  cookieValue: string | undefined,
  o: { secret: string; secure: boolean },
): { token: string; setCookie?: string } {
  if (cookieValue) {
    const [token = "", hash] = decodeURIComponent(cookieValue).split("|");
    if (token && hash === hashOf(token, o.secret)) return { token };
  }
  const token = randomBytes(32).toString("hex");
  const value = encodeURIComponent(`${token}|${hashOf(token, o.secret)}`);
  const flags = ["Path=/", "HttpOnly", "SameSite=Lax", ...(o.secure ? ["Secure"] : [])];
  return { token, setCookie: [`${csrfCookieName(o.secure)}=${value}`, ...flags].join("; ") };
}
