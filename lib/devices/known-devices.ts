import "server-only";
import { accounts } from "../accounts";
import { store } from "../store";
import { KnownBrowsers } from "./known-browsers";

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

/** Whether `userId` completed a QR login from this browser before. */
export const knownDevice = (userId: string, deviceHash: string): Promise<boolean> =>
  knownBrowsers().known(userId, deviceHash);
