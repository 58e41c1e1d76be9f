import type { NextRequest } from "next/server";
import { signUpFields } from "@/lib/accounts/fields";
import { csrfCookieName, csrfFromCookie } from "@/lib/auth/csrf";
import { isSessionCookie, signInThroughNextAuth } from "@/lib/auth/form-sign-in";
import { signUp } from "@/lib/auth/sign-up";
import { env } from "@/lib/env";
import { parseCookies } from "@/lib/http/cookies";
import { ApiError, errorResponse, refusalOf } from "@/lib/http/errors";
import { MAX_BODY_BYTES, methods } from "@/lib/http/handler";
import { readCapped } from "@/lib/http/read-capped";
import { clientIp } from "@/lib/http/request-info";
import { logger } from "@/lib/log";
import { saveSession } from "@/lib/sessions/records";
import { StoreUnavailableError } from "@/lib/store/kv";
import { safeCallbackUrl } from "../../login/callback-url";
import type { SignUpProblem } from "../problem";

/**
 * The sign-up forms (/m/signup on the phone, /signup on a computer) post
 * here as plain forms. The account is made (lib/accounts/sign-up.ts: open
 * sign-up, the limit, the one insert that settles a race), then the browser
 * is signed in through next-auth as on that device's sign-in form: a phone
 * session from the phone's form, a computer session from the computer's.
 * Then a 303: on to the callbackUrl, or back to the form saying what went
 * wrong, with what was typed (never the password) to correct.
 */
async function create(req: NextRequest) {
  // At most 8 KiB, however it is sent (chunked bodies carry no Content-Length to refuse early).
  const bytes = await readCapped(req.body, MAX_BODY_BYTES);
  if (!bytes) return errorResponse(new ApiError("payload_too_large"));
  const form = new URLSearchParams(bytes.toString("utf8"));
  const device = form.get("device") === "phone" ? "phone" : "computer";
  const callbackUrl = safeCallbackUrl(form.get("callbackUrl") || (device === "phone" ? "/m" : "/"));
  const typed = {
    username: (form.get("username") ?? "").slice(0, 64),
    displayName: (form.get("displayName") ?? "").slice(0, 100),
  };
  const back = (problem: SignUpProblem, cookies: string[] = []) => {
    const query = new URLSearchParams({ error: problem, callbackUrl });
    if (problem !== "signInFailed") {
      if (typed.username) query.set("username", typed.username);
      if (typed.displayName) query.set("displayName", typed.displayName);
    }
    return redirect(`${device === "phone" ? "/m/signup" : "/signup"}?${query}`, cookies);
  };
  // Another site's form never makes an account: refused by what the browser says of the
  // request's site (the Origin of a form post is "null" under Referrer-Policy: no-referrer),
  // and by next-auth's double-submit token below.
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return back("expired");
  const e = env();
  // next-auth's double-submit check, made here too: the account is made before next-auth runs.
  const csrfCookie = parseCookies(req.headers).get(csrfCookieName(e.secureCookies));
  const csrf = csrfCookie ? csrfFromCookie(decoded(csrfCookie), e.authSecret) : null;
  if (!csrf || csrf.cookie || csrf.token !== form.get("csrfToken")) return back("expired");
  const parsed = signUpFields.safeParse({
    username: form.get("username") ?? "",
    displayName: form.get("displayName") ?? "",
    password: form.get("password") ?? "",
  });
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    return back(
      field === "password" ? "password" : field === "displayName" ? "displayName" : "username",
    );
  }
  try {
    await signUp(parsed.data, clientIp(req.headers));
  } catch (error) {
    return back(problemOf(error));
  }
  const signedIn = await signInThroughNextAuth(
    req.url,
    device === "phone" ? "credentials" : "computer",
    {
      username: parsed.data.username,
      password: parsed.data.password,
      csrfToken: csrf.token,
      callbackUrl,
    },
  ).catch(() => null);
  if (!signedIn?.signedIn || (device === "computer" && !signedIn.held)) {
    return back(
      "signInFailed",
      signedIn?.cookies.filter((c) => !isSessionCookie(c)),
    );
  }
  const ready = redirect(callbackUrl, signedIn.cookies);
  if (!signedIn.held) return ready;
  // A computer's session is recorded once its cookie is on the answer (as /login/password does).
  try {
    await saveSession(signedIn.held);
  } catch (error) {
    logger().warn({ err: String(error) }, "sign-up: computer session not recorded");
    return back("signInFailed");
  }
  return ready;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function problemOf(error: unknown): SignUpProblem {
  const refused = refusalOf(error);
  if (refused) {
    if (refused.code === "signup_closed") return "closed";
    if (refused.code === "username_taken") {
      return refused.details.reason === "just_taken" ? "justTaken" : "taken";
    }
    if (refused.code === "invalid_request") return "username";
    if (refused.code === "rate_limited") return "limited";
    return "unavailable";
  }
  if (!StoreUnavailableError.is(error)) logger().error({ err: error }, "sign-up failed");
  return "unavailable";
}

function redirect(location: string, cookies: string[] = []): Response {
  // Percent-encoded (a Location header is ASCII).
  const url = new URL(location, "http://same-origin.invalid");
  const headers = new Headers({
    Location: `${url.pathname}${url.search}${url.hash}`,
    "Cache-Control": "no-store",
  });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: create as never });
