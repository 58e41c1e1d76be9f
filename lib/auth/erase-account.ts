import "server-only";
import { forgetUserLimits } from "../rate-limit";
import { store } from "../store";
import { keys } from "../store/keys";
import { orderKeyOf } from "../store/kv";

/**
 * Deletes every Redis key of a deleted account: the ones under its user id
 * (sessions, known browsers, history, passkeys and their challenges, passkey
 * notices, dismissed notices, each session's re-authentication) and the ones
 * under its passkeys' credential ids (which account a credential belongs
 * to), and the limits counted under its user id. Its sessions are signed out before (which removes the native apps'
 * tokens with them). A key that another part adds under the user id must be
 * added here too: tests/api/account-life.test.ts scans for any left.
 */
export async function eraseAccountKeys(
  userId: string,
  passkeyIds: string[],
  sessionIds: string[],
): Promise<void> {
  const kv = store();
  // Credential ids that only the Redis hash of before the database knew (lib/passkeys/records.ts).
  const legacy = Object.keys((await kv.getHash(keys.passkeys(userId))) ?? {}).filter(
    (field) => !field.startsWith("$"),
  );
  const all = [
    keys.sessions(userId),
    keys.devices(userId),
    keys.history(userId),
    keys.passkeys(userId),
    keys.passkeyChallenges(userId),
    orderKeyOf(keys.passkeyChallenges(userId)),
    keys.passkeyChanges(userId),
    keys.dismissedNotices(userId),
    ...sessionIds.map((sid) => keys.reauthenticated(userId, sid)),
    ...[...new Set([...passkeyIds, ...legacy])].map((id) => keys.passkeyOwner(id)),
  ];
  for (const key of all) await kv.del(key);
  await forgetUserLimits(userId);
}
