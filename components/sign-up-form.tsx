import { getTranslations } from "next-intl/server";
import type { SignUpProblem } from "@/app/(web)/signup/problem";

interface Props {
  device: "phone" | "computer";
  csrfToken: string;
  callbackUrl: string;
  problem: SignUpProblem | null;
  /** After a refusal: what was typed (the password is typed again). */
  username?: string;
  displayName?: string;
}

/** Which field a refusal is about: it is marked invalid and described by the words. */
const fieldOf = (p: SignUpProblem | null) =>
  p === "taken" || p === "justTaken" || p === "username"
    ? "username"
    : p === "password"
      ? "password"
      : p === "displayName"
        ? "displayName"
        : null;

/**
 * A new account: a plain POST form (no JavaScript needed) to /signup/create
 * with next-auth's CSRF token rendered by the server. The phone's form makes
 * a phone session, the computer's a computer session. A refusal comes back
 * as the page with the reason in words next to the field it is about.
 */
export async function SignUpForm(p: Props) {
  const t = await getTranslations("account.signUp");
  const field = fieldOf(p.problem);
  const problemFor = (name: string) =>
    p.problem && (field === name || field === null) ? "signup-problem" : undefined;
  return (
    <form className="form" method="post" action="/signup/create">
      <input type="hidden" name="csrfToken" value={p.csrfToken} />
      <input type="hidden" name="callbackUrl" value={p.callbackUrl} />
      <input type="hidden" name="device" value={p.device} />
      {p.problem ? (
        <p role="alert" id="signup-problem" className="status-error">
          {t(`problems.${p.problem}`)}
        </p>
      ) : null}
      <label htmlFor="signup-username">{t("username")}</label>
      <input
        id="signup-username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={64}
        defaultValue={p.username}
        aria-invalid={field === "username" ? true : undefined}
        aria-describedby={problemFor("username") ?? "signup-username-hint"}
        // biome-ignore lint/a11y/noAutofocus: a refused plain POST comes back as a new page; without JavaScript only autofocus puts focus on the field to correct
        autoFocus={field === "username"}
      />
      <p className="muted" id="signup-username-hint">
        {t("usernameHint")}
      </p>
      <label htmlFor="signup-display-name">{t("displayName")}</label>
      <input
        id="signup-display-name"
        name="displayName"
        autoComplete="name"
        maxLength={100}
        defaultValue={p.displayName}
        aria-invalid={field === "displayName" ? true : undefined}
        aria-describedby={problemFor("displayName")}
      />
      <label htmlFor="signup-password">{t("password")}</label>
      <input
        id="signup-password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={200}
        aria-invalid={field === "password" ? true : undefined}
        aria-describedby={problemFor("password") ?? "signup-password-hint"}
        // biome-ignore lint/a11y/noAutofocus: as above; the password is typed again after any other refusal
        autoFocus={!!p.problem && field !== "username" && field !== "displayName"}
      />
      <p className="muted" id="signup-password-hint">
        {t("passwordHint")}
      </p>
      <button type="submit" className="btn btn-primary">
        {t("submit")}
      </button>
    </form>
  );
}
