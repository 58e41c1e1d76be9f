import "server-only";
import { logger } from "../log";
import { StoreUnavailableError } from "../store/kv";
import {
  computerRecordOf,
  passwordComputerRecord,
  phoneRecord,
  type SessionRecord,
  type SessionRef,
  TOUCH_INTERVAL_MS,
  touchSession,
} from "./records";
import { isRevoked, listenForSignOuts, recentlyLive, rememberLive } from "./revocations";

/**
 * Whether a cookie's or token's session may still act: its record exists and
 * is within its age; a computer's approving phone is still signed in too.
 * Run on every session read (next-auth's jwt callback) and every approver
 * request, so it costs at most one or two store reads (none within
 * LIVE_CACHE_MS of the last), plus a "last seen" write at most once a minute.
 *
 * Sign-outs are known at once from the events channel (revocations.ts) and
 * stay known while the store is unreachable. A session this instance cannot
 * check because the store is unreachable, and was not told is signed out, is
 * let through: a Redis outage must not sign every computer out, and nothing
 * can be approved or claimed meanwhile (those need the store).
 */
export async function sessionActive(ref: SessionRef, now = Date.now()): Promise<boolean> {
  void listenForSignOuts();
  if (isRevoked(ref.sid, now) || (ref.approvedBy && isRevoked(ref.approvedBy, now))) return false;
  if (recentlyLive(ref.sid, now)) return true;
  try {
    const record = await readRecord(ref, now);
    if (!record) return false;
    if (now - record.lastSeenAt >= TOUCH_INTERVAL_MS && !(await touchSession(record, now))) {
      return false;
    }
    rememberLive(ref.sid, now);
    return true;
  } catch (error) {
    if (!StoreUnavailableError.is(error)) throw error;
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    logger().warn({ err: error.message, cause }, "session check skipped: store unavailable");
    return true;
  }
}

async function readRecord(ref: SessionRef, now: number): Promise<SessionRecord | null> {
  if (ref.kind === "phone") {
    const record = await phoneRecord(ref.userId, ref.sid, now);
    return record?.userId === ref.userId ? record : null;
  }
  if (!ref.ticketId && !ref.approvedBy) {
    const record = await passwordComputerRecord(ref.userId, ref.sid, now);
    return record?.userId === ref.userId ? record : null;
  }
  if (!ref.ticketId || !ref.approvedBy) return null;
  const [record, approver] = await Promise.all([
    computerRecordOf(ref.ticketId, ref.sid, now),
    phoneRecord(ref.userId, ref.approvedBy, now),
  ]);
  return record && approver && record.userId === ref.userId ? record : null;
}
