import "server-only";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { displayName, newPassword } from "../accounts/fields";
import { refusalOf } from "../http/errors";
import { clientIp } from "../http/request-info";
import { type Asker, changeDisplayName, changePassword, deleteAccount } from "./account-life";
import { currentUser } from "./session";

/** What an account form (/m/account, /account) says after its action: done, or the problem, in words. */
export interface AccountFormState {
  ok: boolean;
  message: string;
  /** The field the problem is about (marked invalid, focused). */
  field?: string;
}

type Problem =
  | "wrong"
  | "signedOut"
  | "signedOutComputer"
  | "tooMany"
  | "unavailable"
  | "invalid"
  | "tooShort"
  | "changedNotSignedOut";

async function problem(kind: Problem, field?: string): Promise<AccountFormState> {
  const t = await getTranslations("account.problems");
  return { ok: false, message: t(kind), ...(field ? { field } : {}) };
}

/** The person at the form: a session of `kind` (a phone on /m/account, a computer on /account), or null. */
export async function formAsker(kind: "phone" | "computer"): Promise<Asker | null> {
  const user = await currentUser();
  if (user?.kind !== kind) return null;
  return { userId: user.id, sessionId: user.sid, ip: clientIp(await headers()), kind };
}

const signedOut = (who: Asker | null) =>
  problem(who?.kind === "computer" ? "signedOutComputer" : "signedOut");

function problemOf(error: unknown, field: string, who: Asker): Promise<AccountFormState> {
  const refused = refusalOf(error);
  if (refused) {
    if (refused.code === "wrong_password") return problem("wrong", field);
    if (refused.code === "rate_limited") return problem("tooMany");
    if (refused.code === "unauthorized") return signedOut(who);
    if (refused.code === "invalid_request") return problem("invalid");
    if (refused.details.passwordChanged) return problem("changedNotSignedOut");
  }
  return problem("unavailable");
}

/**
 * The account forms' work, for the phone's and the computer's server actions
 * alike (each a POST that works as a plain form; Next.js checks the Origin of
 * every server action, its CSRF guard), with the same rules and words as the
 * API's /api/account routes.
 */
export async function renameForm(who: Asker | null, form: FormData): Promise<AccountFormState> {
  if (!(form instanceof FormData)) return problem("invalid");
  if (!who) return signedOut(who);
  const parsed = displayName.safeParse(String(form.get("displayName") ?? ""));
  if (!parsed.success) return problem("invalid", "displayName");
  try {
    const account = await changeDisplayName(who.userId, parsed.data);
    const t = await getTranslations("account.name");
    return { ok: true, message: t("done", { name: account.displayName }) };
  } catch (error) {
    return problemOf(error, "displayName", who);
  }
}

/** The password changed (the current one checked): every other session signed out, and how many. */
export async function passwordForm(who: Asker | null, form: FormData): Promise<AccountFormState> {
  if (!(form instanceof FormData)) return problem("invalid");
  if (!who) return signedOut(who);
  const current = String(form.get("currentPassword") ?? "").slice(0, 200);
  const next = newPassword.safeParse(String(form.get("newPassword") ?? ""));
  if (!current) return problem("wrong", "currentPassword");
  if (!next.success) return problem("tooShort", "newPassword");
  try {
    const count = await changePassword(who, current, next.data);
    const t = await getTranslations("account.password");
    return { ok: true, message: t("done", { count }) };
  } catch (error) {
    return problemOf(error, "currentPassword", who);
  }
}

/** Deletes the account (its password checked); null once it is gone (the caller says so). */
export async function deleteForm(
  who: Asker | null,
  form: FormData,
): Promise<AccountFormState | null> {
  if (!(form instanceof FormData)) return problem("invalid");
  if (!who) return signedOut(who);
  const password = String(form.get("password") ?? "").slice(0, 200);
  if (!password) return problem("wrong", "deletePassword");
  try {
    await deleteAccount(who, { password });
  } catch (error) {
    return problemOf(error, "deletePassword", who);
  }
  return null;
}
