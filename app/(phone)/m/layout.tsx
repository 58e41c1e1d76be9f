import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { currentUser } from "@/lib/auth/session";
import "./phone.css";

/**
 * The simulated mobile app: one narrow column, big touch targets. A computer
 * signed in by QR is never an approver (PROTOCOL v2): every /m page tells it
 * to use the phone instead. Each page names itself in its title.
 */
export default async function PhoneLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const t = await getTranslations("phone");
  return (
    <main className="phone">
      <p className="phone-brand">{t("brand")}</p>
      {user?.kind === "computer" ? (
        <section className="card" aria-labelledby="use-phone-title">
          <h1 id="use-phone-title">{t("usePhone.title")}</h1>
          <p>{t("usePhone.text", { name: user.name })}</p>
        </section>
      ) : (
        children
      )}
    </main>
  );
}
