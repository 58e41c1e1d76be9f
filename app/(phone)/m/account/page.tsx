import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AccountForm } from "@/components/account-form";
import { accounts } from "@/lib/accounts";
import { currentUser } from "@/lib/auth/session";
import { deleteAction, passwordAction, renameAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("titles.account") };
}

/** The account: its display name, its password, and deleting it. Every form works without JavaScript. */
export default async function AccountPage() {
  const user = await currentUser();
  if (user?.kind !== "phone") redirect("/m");
  const account = await (await accounts()).get(user.id);
  if (!account) redirect("/m");
  const t = await getTranslations("account");
  return (
    <section className="card" aria-labelledby="account-title">
      <h1 id="account-title">{t("title")}</h1>
      <p className="muted">{t("username", { username: account.username })}</p>

      <h2 id="name-title">{t("name.title")}</h2>
      <AccountForm action={renameAction} label={t("name.submit")} busyLabel={t("saving")}>
        <label htmlFor="displayName">{t("name.label")}</label>
        <input
          id="displayName"
          name="displayName"
          autoComplete="name"
          required
          maxLength={100}
          defaultValue={account.displayName}
        />
      </AccountForm>

      <h2 id="password-title">{t("password.title")}</h2>
      <p className="muted">{t("password.lead")}</p>
      <AccountForm action={passwordAction} label={t("password.submit")} busyLabel={t("saving")}>
        <label htmlFor="currentPassword">{t("password.current")}</label>
        <input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
        />
        <label htmlFor="newPassword">{t("password.new")}</label>
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={200}
        />
      </AccountForm>

      <h2 id="delete-title">{t("delete.title")}</h2>
      <p>
        <strong>{t("delete.warning")}</strong>
      </p>
      <p className="muted">{t("delete.lead")}</p>
      <AccountForm
        action={deleteAction}
        label={t("delete.submit")}
        busyLabel={t("delete.deleting")}
        variant="danger"
      >
        <label htmlFor="deletePassword">{t("delete.password")}</label>
        <input
          id="deletePassword"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
        />
      </AccountForm>
      <p>
        <Link href="/m">{t("back")}</Link>
      </p>
    </section>
  );
}
