import "server-only";
import type { Device } from "../api/shapes";
import { store } from "../store";
import { keys } from "../store/keys";

/**
 * The user's security history (/m/activity): QR sign-ins, declined and
 * reported requests, signed-out computers. A capped list per user in the
 * store, newest first, that expires a while after its last entry.
 */
export type HistoryKind =
  | "login"
  | "denied"
  | "reported_request"
  | "refused_at_computer"
  | "signed_out"
  | "reported_session"
  | "recovered";

export interface HistoryEntry extends Device {
  kind: HistoryKind;
  /** Unix ms. */
  at: number;
  /** For sign-outs: from the phone, or on the computer itself. */
  by?: "phone" | "computer";
}

export const HISTORY_MAX_ENTRIES = 50;
export const HISTORY_TTL_MS = 90 * 24 * 60 * 60 * 1000;

export async function recordHistory(
  userId: string,
  entry: Omit<HistoryEntry, "at"> & { at?: number },
): Promise<void> {
  const full: HistoryEntry = { ...entry, at: entry.at ?? Date.now() };
  await store().pushCapped(
    keys.history(userId),
    JSON.stringify(full),
    HISTORY_MAX_ENTRIES,
    HISTORY_TTL_MS,
  );
}

export async function recentHistory(userId: string): Promise<HistoryEntry[]> {
  const raw = await store().listHead(keys.history(userId), HISTORY_MAX_ENTRIES);
  return raw.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as HistoryEntry;
      return typeof entry.kind === "string" && typeof entry.at === "number" ? [entry] : [];
    } catch {
      return [];
    }
  });
}
