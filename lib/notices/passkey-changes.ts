import "server-only";
import { randomBytes } from "node:crypto";
import type { PasskeyChangeNotice } from "../api/shapes";
import { keys } from "../store/keys";
import type { KvStore } from "../store/kv";

/** How many passkey changes an account's phones are told about (the newest). */
const KEEP = 20;
export const PASSKEY_NOTICE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

interface Recorded {
  id: string;
  /** "recovered": a recovery code lifted the passkey requirement (`name` is empty). */
  kind: "added" | "removed" | "recovered";
  name: string;
  /** The phone session that made the change: it is not told (it was there). */
  by: string;
  at: number;
}

/**
 * Passkeys added to or removed from an account, kept (capped, a week) so the
 * account's *other* phones show them on the phone home until dismissed there:
 * a passkey someone else added is how a stolen session would take over approvals.
 */
export async function recordPasskeyChange(
  kv: KvStore,
  userId: string,
  change: Omit<Recorded, "id">,
) {
  const entry: Recorded = { id: randomBytes(16).toString("base64url"), ...change };
  await kv.pushCapped(
    keys.passkeyChanges(userId),
    JSON.stringify(entry),
    KEEP,
    PASSKEY_NOTICE_WINDOW_MS,
  );
}

export async function passkeyChangeNotices(
  kv: KvStore,
  userId: string,
  currentSid: string,
  dismissed: Record<string, string> | null,
  now = Date.now(),
): Promise<PasskeyChangeNotice[]> {
  const list = await kv.listHead(keys.passkeyChanges(userId), KEEP);
  const notices: PasskeyChangeNotice[] = [];
  for (const raw of list) {
    let c: Recorded;
    try {
      c = JSON.parse(raw) as Recorded;
    } catch {
      continue;
    }
    if (c.by === currentSid || c.at <= now - PASSKEY_NOTICE_WINDOW_MS || dismissed?.[c.id]) {
      continue;
    }
    notices.push({ id: c.id, kind: c.kind, name: c.name, at: new Date(c.at).toISOString() });
  }
  return notices;
}
