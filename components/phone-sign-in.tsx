import { randomBytes } from "node:crypto";
import { pageCsrfToken } from "@/lib/auth/csrf-token";
import { PhoneSignInForm, type SignInProblem } from "./phone-sign-in-form";

/** next-auth's error in the address after a sign-in without JavaScript failed, in our words. */
function problemOf(error: string | undefined): SignInProblem | null {
  if (!error) return null;
  if (error === "CredentialsSignin") return "wrong";
  if (error.startsWith("This account is disabled")) return "disabled";
  return error.startsWith("Too many attempts") ? "tooMany" : "failed";
}

/**
 * The phone's sign-in form with the CSRF token rendered by the server (proxy.ts
 * made sure the cookie exists), so it posts to next-auth as a plain form.
 * `callbackUrl`: where a successful sign-in lands (this page, so a scanned
 * ticket is kept); `error`: next-auth's `?error=` after a failed plain post.
 */
export async function PhoneSignIn({ callbackUrl, error }: { callbackUrl: string; error?: string }) {
  const csrfToken = await pageCsrfToken();
  return (
    <PhoneSignInForm
      csrfToken={csrfToken}
      callbackUrl={callbackUrl}
      idempotencyKey={randomBytes(16).toString("base64url")}
      problem={problemOf(error)}
    />
  );
}
