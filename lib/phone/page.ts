import type { NextRequest, NextResponse } from "next/server";
import { csrfCookieName, csrfForPage } from "../auth/csrf";
import { env } from "../env";
import { openedCookie, openedCookieName, readOpened } from "../tickets/opened";

/** The request header that carries a phone page's CSRF token from proxy.ts to the page. */
export const CSRF_HEADER = "x-qrl-csrf";

/**
 * Runs in proxy.ts for the phone app's pages (`/m…`): makes sure the browser
 * holds next-auth's CSRF cookie (a page cannot set cookies while it renders)
 * and hands the token to the page through a request header, so its sign-in
 * form posts without JavaScript. On a ticket's scan page, remembers when this
 * browser first opened it (the code's age is judged then, not after sign-in).
 * Returns what to add to the response: those cookies, and on /m/link a
 * Referrer-Policy of same-origin (with no-referrer a plain form's POST says
 * `Origin: null`, which Next.js refuses for a server action; same-origin
 * still sends nothing to any other site).
 */
export function phonePage(request: NextRequest, forwarded: Headers): (r: NextResponse) => void {
  forwarded.delete(CSRF_HEADER);
  const path = request.nextUrl.pathname;
  if (!/^\/m(\/|$)/.test(path)) return () => {};
  const e = env();
  const csrf = csrfForPage(request.cookies.get(csrfCookieName(e.secureCookies))?.value, {
    secret: e.authSecret,
    secure: e.secureCookies,
  });
  forwarded.set(CSRF_HEADER, csrf.token);
  const cookies = csrf.setCookie ? [csrf.setCookie] : [];
  const ticketId = /^\/m\/scan\/([A-Za-z0-9_-]{24})$/.exec(path)?.[1];
  const opened = readOpened(
    request.cookies.get(openedCookieName(e.secureCookies))?.value,
    e.authSecret,
  );
  if (ticketId && opened?.id !== ticketId) {
    cookies.push(
      openedCookie(ticketId, Date.now(), { secret: e.authSecret, secure: e.secureCookies }),
    );
  }
  return (response) => {
    for (const cookie of cookies) response.headers.append("Set-Cookie", cookie);
    if (path === "/m/link") response.headers.set("Referrer-Policy", "same-origin");
  };
}
