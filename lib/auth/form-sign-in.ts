import "server-only";
import { NextRequest } from "next/server";
import NextAuth from "next-auth";
import type { SessionRecord } from "../sessions/records";
import { authOptions } from "./options";

export interface FormSignIn {
  /** next-auth's Set-Cookie headers (the session cookie when signed in, the CSRF cookie). */
  cookies: string[];
  signedIn: boolean;
  /** next-auth's answer URL in JSON mode (its `?error=` says why a sign-in failed). */
  url: string | undefined;
  /** A computer's session record, unwritten: the caller saves it once its answer is ready. */
  held: SessionRecord | undefined;
}

/** Whether a Set-Cookie is next-auth's session cookie (not a CSRF or callback cookie). */
export const isSessionCookie = (c: string) =>
  /^(__Secure-)?next-auth\.session-token(\.\d+)?=[^;]/.test(c);

/**
 * Signs the browser in from one of our own plain-form routes, through
 * next-auth's credentials callback (its CSRF check, the sign-in limits, the
 * password check, the session cookie): `credentials` makes a phone session,
 * `computer` a computer session, whose record comes back unwritten as `held`.
 * next-auth reads the request's cookies and headers (the CSRF cookie, the
 * client's address) from the request being served.
 */
export async function signInThroughNextAuth(
  requestUrl: string,
  provider: "credentials" | "computer",
  fields: {
    username: string;
    password: string;
    csrfToken: string;
    callbackUrl: string;
    /** The form's key: the same sign-in resent is one session (lib/sessions/sign-in-once.ts). */
    idempotencyKey?: string;
  },
): Promise<FormSignIn> {
  const inner = new NextRequest(new URL(`/api/auth/callback/${provider}`, requestUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, json: "true" }),
  });
  let held: SessionRecord | undefined;
  const res: Response = await NextAuth(
    inner as never,
    { params: Promise.resolve({ nextauth: ["callback", provider] }) } as never,
    authOptions({ holdComputerSession: (record) => (held = record) }),
  );
  const cookies = res.headers.getSetCookie();
  // Success is a session cookie, not next-auth's "ok" (a CSRF mismatch also answers ok).
  const signedIn = cookies.some(isSessionCookie);
  const url = signedIn ? undefined : ((await res.json().catch(() => ({}))) as { url?: string }).url;
  return { cookies, signedIn, url, held };
}
