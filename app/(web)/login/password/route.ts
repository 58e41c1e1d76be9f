import type { NextRequest } from "next/server";
import { type PasswordProblem, passwordProblemOf } from "@/components/password-problem";
import { isSessionCookie, signInThroughNextAuth } from "@/lib/auth/form-sign-in";
import { readForm, tooLargeForm } from "@/lib/http/form-body";
import { methods } from "@/lib/http/handler";
import { logger } from "@/lib/log";
import { saveSession } from "@/lib/sessions/records";
import { safeCallbackUrl } from "../callback-url";
import { isPhoneRequest } from "../phone-request";
import { lastUsernameCookie } from "./last-username";

/**
 * The desktop's password form (`/login?method=password`) posts here, as a
 * plain form: next-auth's `computer` credentials provider checks the CSRF
 * token, the limits and the password and makes the computer session. Then
 * the browser goes on with a 303: to the callbackUrl when a session cookie
 * was set, else back to the form saying what went wrong. (Posting straight to
 * next-auth would send a failure to next-auth's sign-in page, which is /m.)
 * No password ever travels in a URL. On a phone (the same rule that makes
 * /login lead with this form there) it signs in as a phone, next-auth's
 * `credentials` provider, as /m's own form does: a phone signed in here is
 * not left as a computer that /m then turns away.
 */
async function signIn(req: NextRequest) {
  const form = await readForm(req);
  if (!form) return tooLargeForm();
  // Percent-encoded (a Location header is ASCII): "/m?q=é€" goes on as "/m?q=%C3%A9%E2%82%AC".
  const callbackUrl = asciiPath(safeCallbackUrl(form.get("callbackUrl")));
  const provider = isPhoneRequest(req.headers) ? "credentials" : "computer";
  // A computer's session is recorded below, once its cookie is on the answer (a phone's
  // is recorded by its provider, as on /m).
  const { cookies, signedIn, url, held } = await signInThroughNextAuth(req.url, provider, {
    username: form.get("username") ?? "",
    password: form.get("password") ?? "",
    csrfToken: form.get("csrfToken") ?? "",
    callbackUrl,
    idempotencyKey: form.get("idempotencyKey") ?? "",
  });
  let problem: PasswordProblem | null = signedIn ? null : passwordProblemOf(url);
  if (!problem && !held && provider === "computer") problem = "unavailable";
  const answer = (p: PasswordProblem | null) => {
    const back = new URLSearchParams({ method: "password", callbackUrl });
    if (p) back.set("error", p);
    const headers = new Headers({
      Location: p ? `/login?${back}` : callbackUrl,
      "Cache-Control": "no-store",
    });
    for (const cookie of cookies)
      if (!p || !isSessionCookie(cookie)) headers.append("Set-Cookie", cookie);
    // A refused sign-in keeps the username typed (short-lived, HttpOnly); a success drops it.
    headers.append("Set-Cookie", lastUsernameCookie(p ? form.get("username") : null));
    return new Response(null, { status: 303, headers });
  };
  // Everything that can fail is done (the answer with its cookie is built) before the
  // session is recorded: no record, no "New sign-in" notice without a delivered cookie.
  const ready = answer(problem);
  if (problem || !held) return ready;
  try {
    await saveSession(held);
  } catch (error) {
    logger().warn({ err: String(error) }, "desktop password sign-in: session not recorded");
    return answer("unavailable");
  }
  return ready;
}

/** A same-site path with every non-ASCII character percent-encoded (as a URL parser writes it). */
function asciiPath(path: string): string {
  const url = new URL(path, "http://same-origin.invalid");
  return `${url.pathname}${url.search}${url.hash}`;
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: signIn as never });
