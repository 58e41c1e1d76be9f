import "server-only";
import type { SignInNotice } from "../api/shapes";
import { listSessions } from "../sessions/records";
import { store } from "../store";
import { keys } from "../store/keys";

/**
 * Sign-in notices (RFC 10027 "detect and remediate"): every computer signed
 * in by QR shows on the account's other phones as "New sign-in: Chrome on
 * Windows, 2 min ago — Was this you?", until dismissed there, signed out, or
 * a week old. They are read from the session registry itself, so the claim
 * writes nothing more and a notice can never outlive, or miss, a session.
 * The phone that approved the sign-in does not get one: it was there.
 */
export const NOTICE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export async function signInNotices(
  userId: string,
  currentSid: string,
  now = Date.now(),
): Promise<SignInNotice[]> {
  const [sessions, dismissed] = await Promise.all([
    listSessions(userId, now),
    store().getHash(keys.dismissedNotices(userId)),
  ]);
  return sessions
    .filter(
      (s) =>
        s.kind === "computer" &&
        s.approvedBy !== currentSid &&
        s.createdAt > now - NOTICE_WINDOW_MS &&
        !dismissed?.[s.id],
    )
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((s) => ({
      sessionId: s.id,
      device: s.device,
      signedInAt: new Date(s.createdAt).toISOString(),
    }));
}

/** "Yes, that was me": hides the notice on every phone. False when there is no such notice. */
export async function dismissNotice(userId: string, currentSid: string, sessionId: string) {
  const notices = await signInNotices(userId, currentSid);
  if (!notices.some((n) => n.sessionId === sessionId)) return false;
  await store().setField(
    keys.dismissedNotices(userId),
    sessionId,
    String(Date.now()),
    NOTICE_WINDOW_MS,
  );
  return true;
}
