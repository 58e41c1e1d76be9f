import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { isPhoneRequest } from "@/app/(web)/login/phone-request";
import { SignOutButton } from "@/components/sign-out-button";
import { ClientMessages } from "@/i18n/client-messages";
import { namespaces } from "@/i18n/namespaces";
import { currentUser } from "@/lib/auth/session";
import "./phone.css";

/** The words the phone app's client components use (every namespace but the computer's `login`). */
/** Every namespace but the desktop's own: the phone app's client components read all the rest. */
const PHONE_NAMESPACES = namespaces.filter((n) => n !== "login");

/**
 * The simulated mobile app: one narrow column, big touch targets. A computer
 * signed in by QR is never an approver (PROTOCOL v2): every /m page tells it
 * to use the phone instead. Each page names itself in its title.
 */
export default async function PhoneLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const t = await getTranslations("phone");
  // A phone holding a computer's session (signed in as one before): a way out, not a dead end.
  const onPhone = user?.kind === "computer" && isPhoneRequest(await headers());
  return (
    <ClientMessages namespaces={PHONE_NAMESPACES}>
      <main className="phone">
        <p className="phone-brand">{t("brand")}</p>
        {user?.kind === "computer" ? (
          <section className="card" aria-labelledby="use-phone-title">
            <h1 id="use-phone-title">{onPhone ? t("usePhone.phoneTitle") : t("usePhone.title")}</h1>
            <p>
              {onPhone
                ? t("usePhone.phoneText", { name: user.name })
                : t("usePhone.text", { name: user.name })}
            </p>
            {onPhone ? <SignOutButton label={t("usePhone.signOut")} /> : null}
          </section>
        ) : (
          children
        )}
      </main>
    </ClientMessages>
  );
}
