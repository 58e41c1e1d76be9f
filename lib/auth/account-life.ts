import "server-only";
import { accounts } from "../accounts";
import type { Account } from "../accounts/store";
import { ApiError, refusalOf } from "../http/errors";
import { logger } from "../log";
import { revokeAccountRecords } from "../oidc/adapter";
import { guardSignIn } from "../rate-limit";
import { listSessions } from "../sessions/records";
import { announceAccountChange } from "../sessions/revocations";
import { signOutAllOthers } from "../sessions/sign-out";
import { StoreUnavailableError } from "../store/kv";
import { emitAccountDeleted } from "../webhooks";
import { eraseAccountKeys } from "./erase-account";

/** The person asking: the account and the session asking (a phone's, or a computer's on /account). */
export interface Asker {
  userId: string;
  sessionId: string;
  ip: string;
  /** A computer's session (the desktop's /account); a phone's when left out. */
  kind?: "phone" | "computer";
}

/**
 * The account when `password` is its password, under the sign-in limits (a
 * stolen phone cannot guess it for free); 403 wrong_password in words
 * otherwise. 401 when the account is gone.
 */
async function checkPassword(asker: Asker, password: string): Promise<Account> {
  const store = await accounts();
  const account = await store.get(asker.userId);
  if (!account) throw new ApiError("unauthorized", "This account no longer exists.");
  const ok = await guardSignIn(account.username, asker.ip, () =>
    store.verify(account.username, password),
  );
  if (!ok) throw new ApiError("wrong_password");
  return account;
}

/**
 * Changes the password (the current one is needed) and signs every other
 * session of the account out, on every instance (lib/sessions/sign-out.ts).
 * Returns how many sessions that signed out.
 */
export async function changePassword(asker: Asker, current: string, next: string): Promise<number> {
  await checkPassword(asker, current);
  const store = await accounts();
  if (!(await store.setPasswordOf(asker.userId, next))) throw new ApiError("unauthorized");
  try {
    return await signOutAllOthers(asker.userId, asker.sessionId, asker.ip);
  } catch (error) {
    if (!refusalOf(error) && !StoreUnavailableError.is(error)) throw error;
    // The new password stands: say so, and what is left to do.
    throw new ApiError(
      "store_unavailable",
      "Your password was changed, but the other sessions could not all be signed out. Sign them out under Your devices, or try again in a moment.",
      { "Retry-After": "1" },
      { passwordChanged: "true" },
    );
  }
}

/** A new display name; every instance forgets the old one at once (the waiting desktops show it). */
export async function changeDisplayName(userId: string, displayName: string): Promise<Account> {
  const store = await accounts();
  try {
    if (!(await store.rename(userId, displayName))) throw new ApiError("unauthorized");
  } catch (error) {
    const refusal = error as { name?: string; message?: string };
    if (refusal?.name === "AccountError") throw new ApiError("invalid_request", refusal.message);
    throw error;
  }
  await announceAccountChange(userId);
  const account = await store.get(userId);
  if (!account) throw new ApiError("unauthorized");
  return account;
}

/**
 * Deletes the account (its password, or a passkey's step-up, is needed): every session signed out
 * on every instance first (so nothing of it can act while it goes), then its
 * rows in the database (one transaction, ON DELETE CASCADE), then what Redis
 * keeps of it, then the webhook. Returns how many sessions were signed out.
 */
export async function deleteAccount(
  asker: Asker,
  /** The password, or a check that throws unless the person confirmed with a passkey. */
  proof: { password: string } | { passkey: () => Promise<void> },
): Promise<number> {
  let account: Account;
  if ("password" in proof) account = await checkPassword(asker, proof.password);
  else {
    await proof.passkey();
    const found = await (await accounts()).get(asker.userId);
    if (!found) throw new ApiError("unauthorized", "This account no longer exists.");
    account = found;
  }
  const sessionIds = (await listSessions(asker.userId)).map((r) => r.id);
  const signedOut = await signOutAllOthers(asker.userId, "", asker.ip);
  // What apps hold through the OpenID Provider (grants, refresh and access tokens) ends too.
  await revokeAccountRecords(asker.userId).catch((error: unknown) =>
    logger().warn({ err: String(error), userId: asker.userId }, "app grants left to the deletion"),
  );
  const removed = await (await accounts()).remove(asker.userId);
  if (!removed) throw new ApiError("unauthorized", "This account no longer exists.");
  // The account is gone and its sessions are signed out: a store failure here leaves only
  // records nothing can use, which expire; the deletion stands and says so in the log.
  await eraseAccountKeys(asker.userId, removed.passkeyIds, [...sessionIds, asker.sessionId]).catch(
    (error: unknown) =>
      logger().warn(
        { err: String(error), userId: asker.userId },
        "deleted account: Redis keys left to expire",
      ),
  );
  await announceAccountChange(asker.userId);
  emitAccountDeleted({
    id: account.id,
    username: account.username,
    signedOut,
    by: asker.kind ?? "phone",
  });
  return signedOut;
}
