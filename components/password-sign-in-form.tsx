import { randomBytes } from "node:crypto";
import { getTranslations } from "next-intl/server";
import { CredentialFields } from "./credential-fields";
import type { PasswordProblem } from "./password-problem";

interface Props {
  csrfToken: string;
  callbackUrl: string;
  problem: PasswordProblem | null;
  /** After a refusal: the username that was typed (only the password is typed again). */
  username?: string;
}

/**
 * The desktop's password sign-in: a plain POST form (no JavaScript needed)
 * to /login/password, with next-auth's CSRF token rendered by the server.
 * A failure comes back as this page with the reason (never the password) in
 * the URL, said next to the fields; the username typed stays, and focus is
 * in the field to type next (the password).
 */
export async function PasswordSignInForm({ csrfToken, callbackUrl, problem, username }: Props) {
  const t = await getTranslations("login.password");
  return (
    <form className="form" method="post" action="/login/password">
      <input type="hidden" name="csrfToken" value={csrfToken} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {/* Names this sign-in: resent (a proxy's retry), a phone's makes one phone session. */}
      <input type="hidden" name="idempotencyKey" value={randomBytes(16).toString("base64url")} />
      {problem ? (
        <p role="alert" id="password-problem" className="status-error">
          {t(`error.${problem}`)}
        </p>
      ) : null}
      <CredentialFields
        labels={{ username: t("username"), password: t("password") }}
        problemId={problem ? "password-problem" : undefined}
        username={username}
      />
      <button type="submit" className="btn btn-primary">
        {t("submit")}
      </button>
    </form>
  );
}
