/** Why a sign-up form came back: the page says it in words (messages `signup.problems`). */
export const signUpProblems = [
  "closed",
  "taken",
  "justTaken",
  "username",
  "password",
  "displayName",
  "limited",
  "expired",
  "unavailable",
  "signInFailed",
] as const;
export type SignUpProblem = (typeof signUpProblems)[number];

export const isSignUpProblem = (value: unknown): value is SignUpProblem =>
  typeof value === "string" && (signUpProblems as readonly string[]).includes(value);
