import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { RecoverForm } from "@/components/recover-form";
import { phoneTitle } from "@/lib/phone/page-title";
import { recover } from "./actions";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("recover");

/** Lost passkey: the password and one recovery code lift the account's passkey requirement. */
export default async function RecoverPage() {
  const t = await getTranslations("recovery");
  return (
    <section className="card" aria-labelledby="recover-title">
      <h1 id="recover-title">{t("pageTitle")}</h1>
      <p>{t("pageLead")}</p>
      <RecoverForm action={recover} />
      <p>
        <Link href="/m">{t("back")}</Link>
      </p>
    </section>
  );
}
