import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { deleteAction, passwordAction, renameAction } from "@/lib/auth/account-actions";
import { AccountForm } from "./account-form";

/**
 * The account's forms, on the phone (/m/account) and the computer (/account):
 * its display name, its password, and deleting it. Each is a plain form
 * posting to its server action (lib/auth/account-actions.ts, bound to the
 * `device`), so each works without JavaScript.
 * `passwordLead` says which session stays signed in; `footer` leads back.
 */
export async function AccountSections({
  account,
  device,
  passwordLead,
  footer,
}: {
  account: { username: string; displayName: string };
  device: "phone" | "computer";
  passwordLead: string;
  footer: ReactNode;
}) {
  const t = await getTranslations("account");
  const actions = {
    rename: renameAction.bind(null, device),
    password: passwordAction.bind(null, device),
    remove: deleteAction.bind(null, device),
  };
  return (
    <section className="card" aria-labelledby="account-title">
      <h1 id="account-title">{t("title")}</h1>
      <p className="muted">{t("username", { username: account.username })}</p>

      <h2 id="name-title">{t("name.title")}</h2>
      <AccountForm action={actions.rename} label={t("name.submit")} busyLabel={t("saving")}>
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
      <p className="muted">{passwordLead}</p>
      <AccountForm action={actions.password} label={t("password.submit")} busyLabel={t("saving")}>
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
        action={actions.remove}
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
      {footer}
    </section>
  );
}
