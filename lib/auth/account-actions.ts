"use server";

import { redirect } from "next/navigation";
import {
  type AccountFormState,
  deleteForm,
  formAsker,
  passwordForm,
  renameForm,
} from "./account-forms";
import { currentUser } from "./session";

/**
 * The server actions of the account forms, the phone's (/m/account) and the
 * computer's (/account); components/account-sections.tsx binds `device`. It
 * comes back from the browser, so it only names the session the form wants:
 * a session of another kind is told it is signed out (formAsker).
 */
type Device = "phone" | "computer";
const deviceOf = (device: unknown): Device => (device === "computer" ? "computer" : "phone");

export async function renameAction(
  device: Device,
  _previous: AccountFormState | null,
  form: FormData,
): Promise<AccountFormState> {
  return renameForm(await formAsker(deviceOf(device)), form);
}

export async function passwordAction(
  device: Device,
  _previous: AccountFormState | null,
  form: FormData,
): Promise<AccountFormState> {
  const kind = deviceOf(device);
  const state = await passwordForm(await formAsker(kind), form);
  // A computer signed in by QR lives by the phone that approved it: signed out with it.
  if (state.ok && kind === "computer" && !(await currentUser())) {
    redirect("/account/ended?why=password");
  }
  return state;
}

export async function deleteAction(
  device: Device,
  _previous: AccountFormState | null,
  form: FormData,
): Promise<AccountFormState> {
  const kind = deviceOf(device);
  const problem = await deleteForm(await formAsker(kind), form);
  if (problem) return problem;
  // Signed out already (its record is gone): the next page says what happened.
  redirect(kind === "phone" ? "/m?deleted=1" : "/account/ended?why=deleted");
}
