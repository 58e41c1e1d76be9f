import type { NextRequest } from "next/server";
import { csrfCookieName, csrfForPage } from "../auth/csrf";
import { env } from "../env";

/** The request header that carries a phone page's CSRF token from proxy.ts to the page. */
export const CSRF_HEADER = "x-qrl-csrf";

/**
 * Runs in proxy.ts for the phone app's pages (`/m…`): makes sure the browser
 * holds next-auth's CSRF cookie (a page cannot set cookies while it renders)
 * and hands the token to the page through a request header, so its sign-in
 * form posts without JavaScript. Returns the Set-Cookie values to send.
 */
export function phonePageCookies(request: NextRequest, forwarded: Headers): string[] {
  forwarded.delete(CSRF_HEADER);
  if (!/^\/m(\/|$)/.test(request.nextUrl.pathname)) return [];
  const e = env();
  const csrf = csrfForPage(request.cookies.get(csrfCookieName(e.secureCookies))?.value, {
    secret: e.authSecret,
    secure: e.secureCookies,
  });
  forwarded.set(CSRF_HEADER, csrf.token);
  return csrf.setCookie ? [csrf.setCookie] : [];
}
