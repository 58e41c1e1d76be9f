import type { Metadata } from "next";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { isPasswordProblem } from "@/components/password-problem";
import { PasswordSignInForm } from "@/components/password-sign-in-form";
import { QrLogin } from "@/components/qr-login";
import { ClientWords } from "@/i18n/client-words";
import { pageCsrfToken } from "@/lib/auth/csrf-token";
import { env } from "@/lib/env";
import { appOfInteraction, interactionOfCallback } from "@/lib/oidc/app-name";
import { safeCallbackUrl } from "./callback-url";
import { NoScriptPassword } from "./no-script-password";
import { lastUsername } from "./password/last-username";
import { isPhoneRequest } from "./phone-request";

export async function generateMetadata(): Promise<Metadata> {
  const [t, common] = await Promise.all([getTranslations("login"), getTranslations("common")]);
  return { title: `${t("pageTitle")} · ${common("appName")}` };
}

type Search = Record<string, string | string[] | undefined>;

/**
 * The desktop's sign-in: the QR (with the password form one link away), or
 * on a phone the password form first (the QR is for computers).
 * `?method=password|qr` picks one explicitly; links, so it works without JavaScript.
 */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Search> }) {
  const query = await searchParams;
  const callbackUrl = safeCallbackUrl(query.callbackUrl);
  const onPhone = isPhoneRequest(await headers());
  const method = query.method === "password" || query.method === "qr" ? query.method : null;
  const password = method === "password" || (method === null && onPhone);
  const t = await getTranslations("login");
  // An app sent its user here through the OpenID Provider: the page names it.
  const oidc = interactionOfCallback(callbackUrl);
  const app = oidc ? await appOfInteraction(oidc).catch(() => null) : null;
  const ta = await getTranslations("account");
  const link = (m: "password" | "qr") =>
    `/login?${new URLSearchParams({ method: m, ...(callbackUrl !== "/" ? { callbackUrl } : {}) })}`;

  if (!password) {
    return (
      <main className="page">
        <section className="card login-card" aria-labelledby="login-title">
          {/* Words without next-intl's client runtime (components/words.tsx): /login's
              JavaScript stays under its budget (issue 25.7). */}
          <ClientWords namespaces={["common", "login"]}>
            <QrLogin callbackUrl={callbackUrl} {...(app && oidc ? { app, oidc } : {})} />
          </ClientWords>
          <p className="login-switch">
            {/* Plain links: a full load, and no client router code for /login to download. */}
            <a href={link("password")}>{t("password.switch")}</a>
          </p>
          <NoScriptPassword callbackUrl={callbackUrl} />
        </section>
      </main>
    );
  }
  const problem = isPasswordProblem(query.error) ? query.error : null;
  return (
    <main className="page">
      <section className="card password-card" aria-labelledby="password-title">
        <h1 id="password-title">
          {app ? t("password.headingFor", { app }) : t("password.heading")}
        </h1>
        {onPhone ? <p className="muted">{t("password.onPhone")}</p> : null}
        <PasswordSignInForm
          csrfToken={await pageCsrfToken()}
          callbackUrl={callbackUrl}
          problem={problem}
          username={problem ? await lastUsername() : ""}
        />
        <p className="login-switch">
          <a href={link("qr")}>{onPhone ? t("password.showQr") : t("password.backToQr")}</a>
        </p>
        {env().signupOpen ? (
          <p className="login-switch">
            <a href="/signup">{ta("signUp.link")}</a>
          </p>
        ) : null}
      </section>
    </main>
  );
}
