import { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { methods } from "@/lib/http/handler";
import { safeCallbackUrl } from "../callback-url";
import { isPhoneRequest } from "../phone-request";
import { type PasswordProblem, passwordProblemOf } from "./problem";

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
  const form = new URLSearchParams(await req.text());
  const callbackUrl = safeCallbackUrl(form.get("callbackUrl"));
  const fields = new URLSearchParams({
    username: form.get("username") ?? "",
    password: form.get("password") ?? "",
    csrfToken: form.get("csrfToken") ?? "",
    callbackUrl,
    json: "true",
  });
  const provider = isPhoneRequest(req.headers) ? "credentials" : "computer";
  const inner = new NextRequest(new URL(`/api/auth/callback/${provider}`, req.url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: fields,
  });
  const res: Response = await NextAuth(
    inner as never,
    { params: Promise.resolve({ nextauth: ["callback", provider] }) } as never,
    authOptions(),
  );
  const cookies = res.headers.getSetCookie();
  // Success is a session cookie, not next-auth's "ok" (a CSRF mismatch also answers ok).
  const signedIn = cookies.some((c) =>
    /^(__Secure-)?next-auth\.session-token(\.\d+)?=[^;]/.test(c),
  );
  const problem: PasswordProblem | null = signedIn
    ? null
    : passwordProblemOf(((await res.json().catch(() => ({}))) as { url?: string }).url);
  const back = new URLSearchParams({ method: "password", callbackUrl });
  if (problem) back.set("error", problem);
  const headers = new Headers({
    Location: problem ? `/login?${back}` : callbackUrl,
    "Cache-Control": "no-store",
  });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: signIn as never });
