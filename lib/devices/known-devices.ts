import "server-only";
import { accounts } from "../accounts";
import { registry, singleton } from "../registry";
import { store } from "../store";
import { browserEntry, KnownBrowsers } from "./known-browsers";

/**
 * The browsers each user has completed a QR login from (RFC 10027's
 * "trusted devices"), in the database (./known-browsers.ts), as hashes.
 * Remembered when a claim completes (lib/auth/claim.ts, together with its
 * history entry), read when a phone scans and inside the confirm's
 * compare-and-set (whether the computer must ask "Continue as …?").
 */

/** 400 days: the longest lifetime browsers keep a cookie for (the device cookie's too). */
export const REMEMBER_BROWSER_S = 400 * 24 * 3600;

const knownBrowsers = () => new KnownBrowsers(async () => (await accounts()).database, store());

/**
 * What this instance learnt, so an approval reads the database once, not at
 * its scan and again at its confirm: a known browser stays known (a row is
 * only ever added, and goes only with its account: a deleted or renamed
 * account's event, or a gap in the events, makes this instance forget);
 * an unknown one is taken as unknown only for the rest of the same ticket
 * (UNKNOWN_FOR_MS at most), so it can be stale only in the safe way: a
 * browser whose claim from another tab finished meanwhile is asked "Continue
 * as …?" on this ticket. Nothing here says known unless the database did.
 */
const KNOWN = -1;
export const UNKNOWN_FOR_MS = 10 * 60_000;
const MAX_REMEMBERED = 50_000;

function learnt(): Map<string, number> {
  return singleton("knownBrowsers", () => new Map());
}

function learn(key: string, value: number) {
  const cache = learnt();
  cache.delete(key);
  cache.set(key, value);
  // The oldest learnt goes first (a Map keeps insertion order).
  if (cache.size > MAX_REMEMBERED) cache.delete(cache.keys().next().value as string);
}

/** Whether `userId` completed a QR login from this browser before (asked for `ticketId`). */
export async function knownDevice(
  userId: string,
  deviceHash: string,
  ticketId: string,
): Promise<boolean> {
  const entry = `${userId}|${browserEntry(userId, deviceHash)}`;
  const unknownFor = `${ticketId}|${entry}`;
  const cache = learnt();
  if (cache.get(entry) === KNOWN) return true;
  const seen = cache.get(unknownFor);
  if (seen !== undefined && Date.now() - seen < UNKNOWN_FOR_MS) return false;
  const known = await knownBrowsers().known(userId, deviceHash);
  if (known) {
    cache.delete(unknownFor);
    learn(entry, KNOWN);
  } else learn(unknownFor, Date.now());
  return known;
}

/** A claim from this browser was written (its known_browsers row with it): known from now on. */
export function learnKnownDevice(userId: string, deviceHash: string) {
  learn(`${userId}|${browserEntry(userId, deviceHash)}`, KNOWN);
}

/** Forgets what this instance learnt of the account's browsers (all accounts' without `userId`). */
export function forgetKnownDevices(userId?: string) {
  const cache = registry().knownBrowsers;
  if (!cache) return;
  if (userId === undefined) return cache.clear();
  // Keys are `{userId}|…` or `{ticketId}|{userId}|…`.
  for (const key of cache.keys()) {
    if (key.startsWith(`${userId}|`) || key.includes(`|${userId}|`)) cache.delete(key);
  }
}
