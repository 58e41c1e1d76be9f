import "server-only";
import { recordHistory } from "../history/history";
import { auditUser } from "../log";
import { endWebSession, listWebSessions, type WebSession } from "./web-sessions";

interface How {
  /** Signed out from the phone (or a native app), or on the computer itself. */
  by: "phone" | "computer";
  /** "This wasn't me": the person did not start this session. */
  reported?: boolean;
  /** Who asked for the sign-out, for the audit line. */
  ip: string;
}

/** Ends one web session and writes it into the user's history. Null when there was no such session. */
export async function signOutWebSession(
  userId: string,
  sessionId: string,
  how: How,
): Promise<WebSession | null> {
  const session = await endWebSession(userId, sessionId);
  auditUser(how.reported ? "report" : "web_session_ended", {
    userId,
    sessionId,
    ip: how.ip,
    outcome: session ? `signed_out_by_${how.by}` : "not_found",
  });
  if (!session) return null;
  await recordHistory(userId, {
    kind: how.reported ? "reported_session" : "signed_out",
    by: how.by,
    browser: session.browser,
    os: session.os,
    ip: session.ip,
  });
  return session;
}

/** Signs out every web session of the user; returns how many there were. */
export async function signOutAllWebSessions(userId: string, ip: string): Promise<number> {
  const sessions = await listWebSessions(userId);
  const ended = await Promise.all(
    sessions.map((s) => signOutWebSession(userId, s.id, { by: "phone", ip })),
  );
  return ended.filter(Boolean).length;
}
