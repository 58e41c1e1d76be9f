"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { renameBody } from "@/app/api/account/schema";
import { newPassword } from "@/lib/accounts/fields";
import { changeDisplayName, changePassword, deleteAccount } from "@/lib/auth/account-life";
import { currentUser } from "@/lib/auth/session";
import { refusalOf } from "@/lib/http/errors";
import { clientIp } from "@/lib/http/request-info";

/** What a form on /m/account says after its action: done, or the problem, in words. */
export interface AccountFormState {
  ok: boolean;
  message: string;
  /** The field the problem is about (marked invalid, focused). */
  field?: string;
}

type Problem =
  | "wrong"
  | "signedOut"
  | "tooMany"
  | "unavailable"
  | "invalid"
  | "tooShort"
  | "changedNotSignedOut";

async function problem(kind: Problem, field?: string): Promise<AccountFormState> {
  const t = await getTranslations("account.problems");
  return { ok: false, message: t(kind), ...(field ? { field } : {}) };
}

/** The phone asking (a phone session only), or null. */
async function asker() {
  const user = await currentUser();
  if (user?.kind !== "phone") return null;
  return { userId: user.id, sessionId: user.sid, ip: clientIp(await headers()) };
}

function problemOf(error: unknown, passwordField: string): Promise<AccountFormState> {
  const refused = refusalOf(error);
  if (refused) {
    if (refused.code === "wrong_password") return problem("wrong", passwordField);
    if (refused.code === "rate_limited") return problem("tooMany");
    if (refused.code === "unauthorized") return problem("signedOut");
    if (refused.code === "invalid_request") return problem("invalid");
    if (refused.details.passwordChanged) return problem("changedNotSignedOut");
  }
  return problem("unavailable");
}

/**
 * The forms' server actions: POSTs that work as plain forms (Next.js checks
 * the Origin of every server action, its CSRF guard), with the same rules as
 * the API's /api/account routes.
 */
export async function renameAction(
  _previous: AccountFormState | null,
  form: FormData,
): Promise<AccountFormState> {
  if (!(form instanceof FormData)) return problem("invalid");
  const who = await asker();
  if (!who) return problem("signedOut");
  const parsed = renameBody.safeParse({ displayName: String(form.get("displayName") ?? "") });
  if (!parsed.success) return problem("invalid", "displayName");
  try {
    const account = await changeDisplayName(who.userId, parsed.data.displayName);
    const t = await getTranslations("account.name");
    return { ok: true, message: t("done", { name: account.displayName }) };
  } catch (error) {
    return problemOf(error, "displayName");
  }
}

export async function passwordAction(
  _previous: AccountFormState | null,
  form: FormData,
): Promise<AccountFormState> {
  if (!(form instanceof FormData)) return problem("invalid");
  const who = await asker();
  if (!who) return problem("signedOut");
  const current = String(form.get("currentPassword") ?? "").slice(0, 200);
  const next = newPassword.safeParse(String(form.get("newPassword") ?? ""));
  if (!current) return problem("wrong", "currentPassword");
  if (!next.success) return problem("tooShort", "newPassword");
  try {
    const signedOut = await changePassword(who, current, next.data);
    const t = await getTranslations("account.password");
    return { ok: true, message: t("done", { count: signedOut }) };
  } catch (error) {
    return problemOf(error, "currentPassword");
  }
}

export async function deleteAction(
  _previous: AccountFormState | null,
  form: FormData,
): Promise<AccountFormState> {
  if (!(form instanceof FormData)) return problem("invalid");
  const who = await asker();
  if (!who) return problem("signedOut");
  const password = String(form.get("password") ?? "").slice(0, 200);
  if (!password) return problem("wrong", "deletePassword");
  try {
    await deleteAccount(who, { password });
  } catch (error) {
    return problemOf(error, "deletePassword");
  }
  // Signed out already (its record is gone): the home page says what happened.
  redirect("/m?deleted=1");
}
