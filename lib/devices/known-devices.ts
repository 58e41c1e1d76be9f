import "server-only";
import { store } from "../store";
import { keys } from "../store/keys";
import { sha256 } from "../tickets/ids";

/**
 * The browsers each user has completed a QR login from, as hashes: the
 * ticket keeps SHA-256 of the device cookie, and the user's set keeps
 * SHA-256 of the user id and that hash, so the same browser reads as
 * unrelated entries under two accounts and the store never holds the
 * cookie itself. Written when a claim completes, read when a phone scans.
 */

/** 400 days: the longest lifetime browsers keep a cookie for (the device cookie's too). */
export const REMEMBER_BROWSER_S = 400 * 24 * 3600;

const entry = (userId: string, deviceHash: string) => sha256(`${userId}\n${deviceHash}`);

/** Remembers that `userId` signed in from this browser (kept as long as the cookie lives). */
export async function rememberDevice(userId: string, deviceHash: string): Promise<void> {
  await store().setField(
    keys.devices(userId),
    entry(userId, deviceHash),
    String(Date.now()),
    REMEMBER_BROWSER_S * 1000,
  );
}

/** Whether `userId` completed a QR login from this browser before. */
export async function knownDevice(userId: string, deviceHash: string): Promise<boolean> {
  return (await store().getField(keys.devices(userId), entry(userId, deviceHash))) !== null;
}
