import "server-only";
import { logger } from "../log";
import { store } from "../store";
import { keys } from "../store/keys";
import { StoreUnavailableError } from "../store/kv";
import { cachedCheck, rememberCheck } from "./check-cache";
import { parseWebSession, TOUCH_INTERVAL_MS, touchWebSession } from "./web-sessions";

/**
 * Whether a QR-created web session is still signed in: run by next-auth's
 * `jwt` callback on every session read, so it costs at most one store read
 * (none within CHECK_CACHE_MS of the last), plus a "last seen" write at most
 * once a minute.
 *
 * When the store cannot be reached the session is let through (and logged):
 * a Redis outage must not sign every computer out, and no new session can be
 * created meanwhile. Sign-outs take effect as soon as the store answers.
 */
export async function webSessionActive(
  userId: string,
  sessionId: string,
  now = Date.now(),
): Promise<boolean> {
  if (cachedCheck(userId, sessionId, now)) return true;
  try {
    const json = await store().getField(keys.webSessions(userId), sessionId);
    const session = parseWebSession(sessionId, json);
    if (!session) return false;
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) {
      if (!(await touchWebSession(userId, session, now))) return false;
      session.lastSeenAt = now;
    }
    rememberCheck(userId, session, now);
    return true;
  } catch (error) {
    if (!StoreUnavailableError.is(error)) throw error;
    logger().warn({ err: error.message }, "web session check skipped: store unavailable");
    return true;
  }
}
