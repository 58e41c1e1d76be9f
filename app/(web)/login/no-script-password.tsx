import { getTranslations } from "next-intl/server";
import { PasswordSignInForm } from "@/components/password-sign-in-form";
import { pageCsrfToken } from "@/lib/auth/csrf-token";

/**
 * /login in a browser without JavaScript: the QR can't be drawn or followed,
 * so the card's QR part is hidden and the password form (a plain POST) is
 * shown instead, saying why. Shown only while `<html>` is still `no-js`
 * (the root layout's first script removes it; globals.css).
 */
export async function NoScriptPassword({ callbackUrl }: { callbackUrl: string }) {
  const t = await getTranslations("login");
  return (
    <div className="no-js-only">
      <h1>{t("password.heading")}</h1>
      <p className="muted">{t("noScript")}</p>
      <PasswordSignInForm
        csrfToken={await pageCsrfToken()}
        callbackUrl={callbackUrl}
        problem={null}
      />
    </div>
  );
}
