import "server-only";
import { accounts } from "../accounts";
import type { Device } from "../api/shapes";
import { store } from "../store";
import { SecurityHistory } from "./security-history";

/**
 * The user's security history (/m/activity): QR sign-ins, declined and
 * reported requests, signed-out computers, recoveries. In the database
 * (./security-history.ts), newest first, the last 50 of 90 days.
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

/** The process's history: the accounts' database, carrying over what Redis held before. */
export const securityHistory = () =>
  new SecurityHistory(async () => (await accounts()).database, store());

export async function recordHistory(
  userId: string,
  entry: Omit<HistoryEntry, "at"> & { at?: number },
): Promise<void> {
  await securityHistory().record(userId, { ...entry, at: entry.at ?? Date.now() });
}

export const recentHistory = (userId: string): Promise<HistoryEntry[]> =>
  securityHistory().recent(userId);
