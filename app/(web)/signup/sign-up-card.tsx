import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignUpForm } from "@/components/sign-up-form";
import { pageCsrfToken } from "@/lib/auth/csrf-token";
import { env } from "@/lib/env";
import { safeCallbackUrl } from "../login/callback-url";
import { isSignUpProblem } from "./problem";

type Search = Record<string, string | string[] | undefined>;
const text = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * The sign-up card of /m/signup and /signup: the form, or when SIGNUP=closed
 * the words that say so and whom to ask. `signIn` is the way back to the
 * device's own sign-in.
 */
export async function SignUpCard({
  device,
  query,
  signIn,
}: {
  device: "phone" | "computer";
  query: Search;
  signIn: string;
}) {
  const t = await getTranslations("account.signUp");
  const problem = isSignUpProblem(query.error) ? query.error : null;
  const callbackUrl = safeCallbackUrl(query.callbackUrl || (device === "phone" ? "/m" : "/"));
  return (
    <section className="card" aria-labelledby="signup-title">
      <h1 id="signup-title">{t("title")}</h1>
      {env().signupOpen ? (
        <>
          <p className="muted">{device === "phone" ? t("leadPhone") : t("leadComputer")}</p>
          <SignUpForm
            device={device}
            csrfToken={await pageCsrfToken()}
            callbackUrl={callbackUrl}
            problem={problem}
            username={text(query.username)}
            displayName={text(query.displayName)}
          />
        </>
      ) : (
        <p role="status">{t("closed")}</p>
      )}
      <p className="login-switch">
        <Link href={signIn}>{t("haveAccount")}</Link>
      </p>
    </section>
  );
}
