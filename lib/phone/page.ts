import type { NextRequest, NextResponse } from "next/server";
import { env } from "../env";
import { openedCookie, openedCookieName, readOpened } from "../http/opened-cookie";
import { SCAN_PATH } from "../tickets/patterns";

/**
 * Runs in proxy.ts for the phone app's pages (`/m…`; proxy.ts itself hands
 * every page with a sign-in form its CSRF token). On a ticket's scan page, remembers when this
 * browser first opened it (the code's age is judged then, not after sign-in).
 * Returns what to add to the response: those cookies, and on the pages whose
 * forms post to a server action (the typed code, the account, the recovery codes,
 * the recovery) a Referrer-Policy of same-origin (with no-referrer a plain form's
 * POST says `Origin: null`, which Next.js refuses for a server action;
 * same-origin still sends nothing to any other site).
 */
const SERVER_ACTION_FORMS = new Set(["/m/link", "/m/account", "/m/security", "/m/recover"]);

export function phonePage(request: NextRequest): (r: NextResponse) => void {
  const path = request.nextUrl.pathname;
  if (!/^\/m(\/|$)/.test(path)) return () => {};
  const e = env();
  const cookies: string[] = [];
  const ticketId = SCAN_PATH.exec(path)?.[1];
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
    if (SERVER_ACTION_FORMS.has(path)) response.headers.set("Referrer-Policy", "same-origin");
  };
}
