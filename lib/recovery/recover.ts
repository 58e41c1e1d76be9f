import "server-only";
import { accounts, recoveryCodes } from "../accounts";
import { recordHistory } from "../history/history";
import { ApiError } from "../http/errors";
import { auditUser, logger } from "../log";
import { describeUserAgent } from "../net/user-agent";
import { recordPasskeyChange } from "../notices/passkey-changes";
import { guardRecovery } from "../rate-limit";
import { signOutAllOthers } from "../sessions/sign-out";
import { store } from "../store";
import { emitAccountRecovered } from "../webhooks";

export interface RecoveryInput {
  username: string;
  password: string;
  code: string;
}

export interface Recovered {
  userId: string;
  passkeysRemoved: number;
  codesLeft: number;
  signedOut: number;
}

/** One answer for every wrong part, so a refusal says nothing about which part was right. */
export const RECOVERY_REFUSED =
  "That username, password and recovery code do not go together. Check each and try again; each code works only once.";

/**
 * Lost passkey: the password and one unused recovery code lift the account's
 * passkey requirement (its passkeys removed, the setting off; the code used
 * up, atomically), then every other session of the account is signed out on
 * every instance, its phones are told (a notice) and the webhook
 * (`account.recovered`). Limited per username and IP (lib/rate-limit.ts).
 * `keep`: the phone session asking, when it is the same account's (it stays).
 */
export async function recoverAccount(
  input: RecoveryInput,
  from: { ip: string; userAgent: string; keep?: { userId: string; sessionId: string } },
): Promise<Recovered> {
  const done = await guardRecovery(input.username, from.ip, async () => {
    const account = await (await accounts()).verify(input.username, input.password);
    if (!account) return null;
    // Said in words, as at sign-in (the password was right); the code stays unused.
    if (account.disabled) throw new ApiError("account_disabled");
    const result = await recoveryCodes().recover(account.id, input.code);
    if (!result.recovered) return null;
    return { account, ...result };
  });
  if (!done) throw new ApiError("invalid_credentials", RECOVERY_REFUSED);
  const userId = done.account.id;
  const keep = from.keep?.userId === userId ? from.keep.sessionId : "";
  const device = { ...describeUserAgent(from.userAgent), ip: from.ip };
  auditUser("account_recovered", {
    userId,
    ip: from.ip,
    outcome: "passkey_requirement_lifted",
    passkeysRemoved: done.passkeysRemoved,
    codesLeft: done.codesLeft,
  });
  let signedOut: number;
  try {
    signedOut = await signOutAllOthers(userId, keep, from.ip);
  } catch (error) {
    logger().warn({ err: String(error) }, "recovery: signing the other sessions out failed");
    throw new ApiError(
      "store_unavailable",
      "Your account was recovered (its passkeys are removed), but signing your other devices out did not finish. Sign in and sign them out under Devices.",
      { "Retry-After": "1" },
    );
  }
  const at = Date.now();
  await Promise.all([
    recordPasskeyChange(store(), userId, { kind: "recovered", name: "", by: keep, at }),
    recordHistory(userId, { kind: "recovered", ...device, at }),
  ]).catch((error: unknown) =>
    logger().warn({ err: String(error) }, "recovery notice or history not recorded"),
  );
  emitAccountRecovered({
    userId,
    passkeysRemoved: done.passkeysRemoved,
    sessionsSignedOut: signedOut,
    codesLeft: done.codesLeft,
    device,
  });
  return {
    userId,
    passkeysRemoved: done.passkeysRemoved,
    codesLeft: done.codesLeft,
    signedOut,
  };
}
