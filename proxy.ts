import { type NextRequest, NextResponse } from "next/server";
import { CSRF_HEADER, csrfCookieName, csrfFromCookie } from "@/lib/auth/csrf";
import { env } from "@/lib/env";
import { pagePostProblem } from "@/lib/http/page-post";
import { contentSecurityPolicy, pageHeaders } from "@/lib/http/security-headers";
import { phonePage } from "@/lib/phone/page";

/**
 * Runs before every page (not the API): a fresh CSP nonce per response, on
 * the request (Next.js reads it to mark its own scripts) and the response.
 * A page POST whose body Next.js could not read is answered 400 here.
 */
export async function proxy(request: NextRequest) {
  const e = env();
  const problem = await pagePostProblem(request);
  if (problem) {
    return new NextResponse(`400 ${problem}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", ...pageHeaders(e.secureCookies) },
    });
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, { dev: !e.production, https: e.secureCookies });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const phone = phonePage(request);
  // Pages with sign-in forms render next-auth's CSRF token into the form (works without JS).
  headers.delete(CSRF_HEADER);
  const csrfName = csrfCookieName(e.secureCookies);
  const csrf = hasSignInForm(request.nextUrl.pathname)
    ? csrfFromCookie(request.cookies.get(csrfName)?.value, e.authSecret)
    : null;
  if (csrf) headers.set(CSRF_HEADER, csrf.token);
  const response = NextResponse.next({ request: { headers } });
  if (csrf?.cookie) {
    response.cookies.set(csrfName, csrf.cookie, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: e.secureCookies,
    });
  }
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(pageHeaders(e.secureCookies))) {
    response.headers.set(name, value);
  }
  phone(response);
  // The computer's /account posts its forms to server actions: a plain form's POST must say
  // its Origin (with no-referrer it says `Origin: null`, which Next.js refuses; lib/phone/page.ts).
  if (request.nextUrl.pathname === "/account")
    response.headers.set("Referrer-Policy", "same-origin");
  return response;
}

const hasSignInForm = (path: string) =>
  path === "/login" || path === "/signup" || path === "/m" || path.startsWith("/m/");

// Every page, prefetches included; not the JSON API and not static files.
// (next-auth's routes under /api/auth answer JSON or redirect to /m.)
export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
