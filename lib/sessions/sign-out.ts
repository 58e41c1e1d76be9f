import "server-only";
import { Refusal } from "../errors";
import { recordHistory } from "../history/history";
import { auditUser, logger } from "../log";
import { registry } from "../registry";
import { StoreUnavailableError } from "../store/kv";
import { emitSignedOut } from "../webhooks";
import { endSession, listSessions, type SessionRecord } from "./records";
import { announceSignOut } from "./revocations";

interface How {
  /** Signed out from a phone (the list, or a native app), or by the session itself. */
  by: "phone" | "computer";
  /** "This wasn't me": the person did not start this session. */
  reported?: boolean;
  /** Who asked for the sign-out, for the audit line. */
  ip: string;
}

/**
 * Signs one session out — a phone together with the computers it approved —
 * on every instance at once (revocations.ts), and writes it into the user's
 * history. Returns the sessions that ended, the named one first; [] when
 * there was no such session.
 */
export async function signOutSession(
  userId: string,
  sid: string,
  how: How,
): Promise<SessionRecord[]> {
  const ended = await endSession(userId, sid);
  auditUser(how.reported ? "report" : "web_session_ended", {
    userId,
    sessionId: sid,
    ip: how.ip,
    outcome: ended.length > 0 ? `signed_out_by_${how.by}` : "not_found",
    ...(ended.length > 1 ? { linked: ended.length - 1 } : {}),
  });
  if (ended.length === 0) return [];
  await announceSignOut(
    ended.map((r) => r.id),
    Math.max(...ended.map((r) => r.expiresAt)),
  );
  emitSignedOut(ended, how);
  // Apps signed in through the OpenID Provider from these sessions: signed out too (back-channel).
  await registry()
    .onSignedOut?.(
      userId,
      ended.map((r) => r.id),
    )
    .catch((err: unknown) => logger().warn({ err }, "OIDC back-channel logout failed"));
  const [first] = ended as [SessionRecord];
  await recordHistory(userId, {
    kind: how.reported ? "reported_session" : "signed_out",
    by: how.by,
    ...first.device,
  }).catch(() => {});
  return ended;
}

/**
 * Signs out every session of the user but `keep` (the phone asking). Each
 * session's sign-out is atomic; when the store stops answering part-way, the
 * 503 says how many were signed out, so the answer is true either way.
 */
export async function signOutAllOthers(userId: string, keep: string, ip: string): Promise<number> {
  const others = (await listSessions(userId)).filter((r) => r.id !== keep);
  // Phones first: each takes its computers with it.
  others.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "phone" ? -1 : 1));
  const done = new Set<string>();
  try {
    for (const r of others) {
      if (done.has(r.id)) continue;
      for (const ended of await signOutSession(userId, r.id, { by: "phone", ip })) {
        done.add(ended.id);
      }
    }
  } catch (error) {
    if (!StoreUnavailableError.is(error)) throw error;
    throw new Refusal(
      "store_unavailable",
      `Signed out ${done.size} of ${others.length} devices before the service stopped answering. Try again to sign out the rest.`,
      { signedOut: String(done.size) },
    );
  }
  return done.size;
}
