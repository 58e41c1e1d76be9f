import "server-only";
import type { NoticeList, SignInNotice } from "../api/shapes";
import { listSessions } from "../sessions/records";
import { store } from "../store";
import { keys } from "../store/keys";
import { passkeyChangeNotices } from "./passkey-changes";

/**
 * Sign-in notices (RFC 10027 "detect and remediate"): every computer signed
 * in by QR shows on the account's phones as "New sign-in: Chrome on
 * Windows, 2 min ago — Was this you?", until dismissed there, signed out, or
 * a week old. They are read from the session registry itself, so the claim
 * writes nothing more and a notice can never outlive, or miss, a session.
 *
 * The phone session that approved the sign-in gets the notice too, marked
 * `approvedHere`: the server cannot tell that session from a copy of it (a
 * stolen cookie or bearer token, a cloned app), so leaving it out would hide
 * exactly the sign-in the owner did not make from the phone they carry.
 */
export const NOTICE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export async function signInNotices(
  userId: string,
  currentSid: string,
  now = Date.now(),
  dismissedNotices?: Record<string, string> | null,
): Promise<SignInNotice[]> {
  const [sessions, dismissed] = await Promise.all([
    listSessions(userId, now),
    dismissedNotices === undefined
      ? store().getHash(keys.dismissedNotices(userId))
      : dismissedNotices,
  ]);
  return sessions
    .filter(
      (s) => s.kind === "computer" && s.createdAt > now - NOTICE_WINDOW_MS && !dismissed?.[s.id],
    )
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((s) => ({
      sessionId: s.id,
      device: s.device,
      signedInAt: new Date(s.createdAt).toISOString(),
      approvedHere: s.approvedBy === currentSid,
    }));
}

/** Every notice for this phone: sign-ins, and passkeys changed by the account's other phones. */
export async function allNotices(
  userId: string,
  currentSid: string,
  now = Date.now(),
): Promise<NoticeList> {
  const dismissed = await store().getHash(keys.dismissedNotices(userId));
  const [notices, passkeyChanges] = await Promise.all([
    signInNotices(userId, currentSid, now, dismissed),
    passkeyChangeNotices(store(), userId, currentSid, dismissed, now),
  ]);
  return { notices, passkeyChanges };
}

/** "Yes, that was me": hides the notice on every phone. False when there is no such notice. */
export async function dismissNotice(userId: string, currentSid: string, noticeId: string) {
  const { notices, passkeyChanges } = await allNotices(userId, currentSid);
  const known =
    notices.some((n) => n.sessionId === noticeId) || passkeyChanges.some((c) => c.id === noticeId);
  if (!known) return false;
  await store().setField(
    keys.dismissedNotices(userId),
    noticeId,
    String(Date.now()),
    NOTICE_WINDOW_MS,
  );
  return true;
}
