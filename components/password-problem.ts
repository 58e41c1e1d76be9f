/** Why a password sign-in on /login did not make a session: the form says it in words. */
export const passwordProblems = ["wrong", "limited", "disabled", "expired", "unavailable"] as const;
export type PasswordProblem = (typeof passwordProblems)[number];

/**
 * From next-auth's answer (`{url}` in JSON mode): `error=CredentialsSignin`
 * is a wrong username or password; our rate limit's words are a limit; no
 * error at all without a session is a refused CSRF token (the form was too
 * old, or its cookie was replaced); anything else is the service.
 */
export function passwordProblemOf(url: string | undefined): PasswordProblem {
  const error = url ? new URL(url, "http://x.invalid").searchParams.get("error") : null;
  if (error === "CredentialsSignin") return "wrong";
  if (error?.startsWith("Too many attempts")) return "limited";
  if (error?.startsWith("This account is disabled")) return "disabled";
  if (error === null && url?.includes("csrf=true")) return "expired";
  return "unavailable";
}

export const isPasswordProblem = (value: unknown): value is PasswordProblem =>
  typeof value === "string" && (passwordProblems as readonly string[]).includes(value);
