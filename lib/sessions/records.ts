import "server-only";
import { randomBytes } from "node:crypto";
import type { Device, SessionInfo, SessionKind, SessionMethod } from "../api/shapes";
import { env } from "../env";
import { describeUserAgent } from "../net/user-agent";
import { singleton } from "../registry";
import { store } from "../store";
import { keys } from "../store/keys";

/**
 * The session registry (PROTOCOL v2): one record for every credential the
 * product issues — phone-browser sessions (password), native-app tokens, and
 * computer sessions (QR claim). A cookie or token whose record is gone is
 * signed out.
 *
 * Storage: the user's hash `keys.sessions(userId)`, field = session id. A
 * phone's field holds its record. A QR computer's record lives in its
 * ticket's hash (field `session`), written by the claim's own compare-and-set,
 * so ticket and record change in one atomic step even on Redis Cluster (where
 * the user's and the ticket's keys sit in different slots); the user's field
 * holds a pointer to the ticket, written just before the ticket is confirmed
 * (and only for a ticket this user may confirm).
 */
export interface SessionRecord {
  id: string;
  userId: string;
  kind: SessionKind;
  method: SessionMethod;
  device: Device;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  /** For a computer made by QR: the phone session that approved it. */
  approvedBy?: string;
  /** For a computer made by QR: the ticket whose hash holds this record. */
  ticketId?: string;
  /** For a native app: the hash of its bearer token, whose key goes with the record. */
  tokenHash?: string;
}

/** What a cookie or token says about its session (next-auth's JWT, a token's record). */
export interface SessionRef {
  userId: string;
  sid: string;
  kind: SessionKind;
  ticketId?: string;
  approvedBy?: string;
}

type Pointer = { ticket: string; approvedBy: string };

export const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
export const newSessionId = () => randomBytes(16).toString("base64url");

/** "Last seen" is written at most this often per session. */
export const TOUCH_INTERVAL_MS = 60_000;

/** The user's hash outlives its longest-lived record (records carry their own expiry). */
const userHashTtlMs = () =>
  Math.max(env().SESSION_MAX_AGE_S, env().MOBILE_TOKEN_TTL_S) * 1000 + TOUCH_INTERVAL_MS;

export const deviceOf = (client: { userAgent: string; ip: string }): Device => ({
  ...describeUserAgent(client.userAgent),
  ip: client.ip,
});

export function parseRecord(json: string | null | undefined): SessionRecord | null {
  if (!json) return null;
  try {
    const r = JSON.parse(json) as SessionRecord;
    return typeof r.expiresAt === "number" && typeof r.id === "string" ? r : null;
  } catch {
    return null;
  }
}

const parsePointer = (json: string): Pointer | null => {
  try {
    const p = JSON.parse(json) as Partial<Pointer>;
    return typeof p.ticket === "string"
      ? { ticket: p.ticket, approvedBy: p.approvedBy ?? "" }
      : null;
  } catch {
    return null;
  }
};

/** A phone session: the password form on /m (`password`) or a native app's token (`app`). */
export async function createPhoneSession(
  userId: string,
  method: "password" | "app",
  client: { userAgent: string; ip: string },
  now = Date.now(),
  /** A retried sign-in's session id (lib/sessions/sign-in-once.ts), and a native app's token hash. */
  o: { id?: string; tokenHash?: string } = {},
): Promise<SessionRecord> {
  const existing = o.id ? await phoneRecord(userId, o.id, now) : null;
  if (existing) return existing;
  const record = ownRecord(userId, "phone", method, client, now, o.id);
  if (o.tokenHash) record.tokenHash = o.tokenHash;
  await saveSession(record);
  return record;
}

/**
 * A computer signed in with its own password on /login: a computer session
 * (never an approver) that no phone approved, so it lives its own
 * SESSION_MAX_AGE_S and its record sits in the user's hash like a phone's.
 */
export function createPasswordComputerSession(
  userId: string,
  client: { userAgent: string; ip: string },
  now = Date.now(),
): Promise<SessionRecord> {
  return createOwnSession(userId, "computer", "password", client, now);
}

/**
 * The same record, not yet written: the desktop form's route writes it
 * (saveSession) only once its answer, cookie included, is ready to go.
 */
export function passwordComputerSession(
  userId: string,
  client: { userAgent: string; ip: string },
  now = Date.now(),
): SessionRecord {
  return ownRecord(userId, "computer", "password", client, now);
}

/** Writes a record made by passwordComputerSession (or any own-hash record). */
export async function saveSession(record: SessionRecord): Promise<void> {
  await store().setField(
    keys.sessions(record.userId),
    record.id,
    JSON.stringify(record),
    userHashTtlMs(),
  );
}

async function createOwnSession(
  userId: string,
  kind: SessionKind,
  method: "password" | "app",
  client: { userAgent: string; ip: string },
  now: number,
  id?: string,
): Promise<SessionRecord> {
  const record = ownRecord(userId, kind, method, client, now, id);
  await saveSession(record);
  return record;
}

function ownRecord(
  userId: string,
  kind: SessionKind,
  method: "password" | "app",
  client: { userAgent: string; ip: string },
  now: number,
  id = newSessionId(),
): SessionRecord {
  const e = env();
  const lifetimeS = method === "app" ? e.MOBILE_TOKEN_TTL_S : e.SESSION_MAX_AGE_S;
  return {
    id,
    userId,
    kind,
    method,
    device: deviceOf(client),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + lifetimeS * 1000,
  };
}

/**
 * Before a phone confirms a ticket: the id of the computer session a claim
 * may make from it, listed (as a pointer to the ticket) from now on, so no
 * computer session can exist that the phone's list does not show. Called
 * only for a ticket this user may confirm now (tickets().confirm asks for
 * it). Confirms that were never claimed do not pile up in the user's hash:
 * its dead entries (expired records, pointers to tickets that can no longer
 * be claimed, as listSessions drops them) go at the first confirm this
 * process makes for the user, then again once it has made as many confirms
 * as the hash kept at the last pruning (at least PRUNE_EVERY). Pruning reads
 * every entry: done at every confirm, an account with N confirms in flight
 * paid N reads per confirm (the bench's burst of one account's approvals
 * fell to a third). This way the hash holds at most twice what is live plus
 * PRUNE_EVERY, and a confirm's reads stay constant on average.
 */
export async function reserveComputerSession(
  userId: string,
  ticketId: string,
  approvedBy: string,
): Promise<string> {
  const prunes = sessionPrunes();
  const last = prunes.get(userId);
  if (!last || last.since + 1 >= Math.max(PRUNE_EVERY, last.kept)) {
    const { kept } = await readSessions(userId, Date.now());
    if (prunes.size >= 100_000) prunes.clear();
    prunes.set(userId, { kept, since: 0 });
  } else {
    last.since += 1;
  }
  const sid = newSessionId();
  const pointer: Pointer = { ticket: ticketId, approvedBy };
  await store().setField(keys.sessions(userId), sid, JSON.stringify(pointer), userHashTtlMs());
  return sid;
}

/** Removes a reserved pointer whose confirm did not happen (a race lost, a refusal). */
export async function releaseComputerSession(userId: string, sid: string): Promise<void> {
  await store().deleteField(keys.sessions(userId), sid);
}

/**
 * The record a QR claim writes into its ticket: it expires no later than the
 * phone session that approved it, and never later than SESSION_MAX_AGE_S.
 */
export function computerRecord(
  r: { sid: string; userId: string; ticketId: string; approver: SessionRecord },
  client: { userAgent: string; ip: string },
  now = Date.now(),
): SessionRecord {
  return {
    id: r.sid,
    userId: r.userId,
    kind: "computer",
    method: "qr",
    device: deviceOf(client),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: Math.min(now + env().SESSION_MAX_AGE_S * 1000, r.approver.expiresAt),
    approvedBy: r.approver.id,
    ticketId: r.ticketId,
  };
}

/** A phone's record, or null when it is signed out or over its age. */
export async function phoneRecord(userId: string, sid: string, now = Date.now()) {
  const record = parseRecord(await store().getField(keys.sessions(userId), sid));
  return record && record.kind === "phone" && record.expiresAt > now ? record : null;
}

/** A computer signed in by password (its record in the user's hash), or null. */
export async function passwordComputerRecord(userId: string, sid: string, now = Date.now()) {
  const record = parseRecord(await store().getField(keys.sessions(userId), sid));
  return record && record.kind === "computer" && !record.ticketId && record.expiresAt > now
    ? record
    : null;
}

/** A computer's record (in its ticket), or null when it is signed out or over its age. */
export async function computerRecordOf(ticketId: string, sid: string, now = Date.now()) {
  const record = parseRecord(await store().getField(keys.ticket(ticketId), "session"));
  return record && record.id === sid && record.expiresAt > now ? record : null;
}

/** Writes a new "last seen", only while the record still exists (never revives a signed-out one). */
export async function touchSession(record: SessionRecord, now = Date.now()) {
  const next = JSON.stringify({ ...record, lastSeenAt: now });
  if (record.ticketId) {
    const ttl = Math.max(1, record.expiresAt - now);
    return store().setField(keys.ticket(record.ticketId), "session", next, ttl, true);
  }
  return store().setField(keys.sessions(record.userId), record.id, next, userHashTtlMs(), true);
}

/** Every live session of the user, phones and computers, most recently seen first. */
export async function listSessions(userId: string, now = Date.now()): Promise<SessionRecord[]> {
  const { live } = await readSessions(userId, now);
  // A computer whose phone is gone is signed out with it (one signed in by password has none).
  const phones = new Set(live.filter((r) => r.kind === "phone").map((r) => r.id));
  return live
    .filter(
      (r) =>
        r.kind === "phone" ||
        (r.approvedBy === undefined ? r.method === "password" : phones.has(r.approvedBy)),
    )
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
}

/** Confirms a process makes for one user between two prunings of the user's hash, at least. */
const PRUNE_EVERY = 16;

const sessionPrunes = () => singleton("sessionPrunes", () => new Map());

/**
 * Every entry of the user's hash, checked all at once (not one after
 * another): the live records, and how many entries stay. Dead ones are
 * deleted (an expired record, a pointer whose ticket can no longer be
 * claimed); a pointer whose ticket was not claimed yet stays while the
 * ticket may still be claimed.
 */
async function readSessions(userId: string, now: number) {
  const key = keys.sessions(userId);
  const hash = (await store().getHash(key)) ?? {};
  const checked = await Promise.all(
    Object.entries(hash).map(async ([sid, json]) => {
      const pointer = parsePointer(json);
      const record = pointer ? await computerRecordOf(pointer.ticket, sid, now) : parseRecord(json);
      if (record && record.expiresAt > now) return { record, kept: true };
      if (pointer && (await ticketMayClaim(pointer.ticket))) return { record: null, kept: true };
      await store().deleteField(key, sid);
      return { record: null, kept: false };
    }),
  );
  return {
    live: checked.flatMap((c) => (c.record ? [c.record] : [])),
    kept: checked.filter((c) => c.kept).length,
  };
}

async function ticketMayClaim(ticketId: string): Promise<boolean> {
  const state = await store().getField(keys.ticket(ticketId), "state");
  return state === "scanned" || state === "confirmed";
}

/**
 * Deletes one session's record (each delete is one atomic step), and for a
 * phone the records of the computers it approved. Returns the sessions that
 * ended, the named one first; [] when it did not exist.
 */
export async function endSession(userId: string, sid: string): Promise<SessionRecord[]> {
  const all = await listSessions(userId);
  const target = all.find((r) => r.id === sid);
  if (!target) return [];
  const linked = target.kind === "phone" ? all.filter((r) => r.approvedBy === sid) : [];
  // The phone first: once its record is gone, its computers are refused too (see checks.ts).
  for (const r of [target, ...linked]) await deleteRecord(r);
  return [target, ...linked];
}

async function deleteRecord(r: SessionRecord) {
  if (r.ticketId) await store().deleteField(keys.ticket(r.ticketId), "session");
  await store().deleteField(keys.sessions(r.userId), r.id);
  // A native app's token goes with its session (it would be refused anyway: no record).
  if (r.tokenHash) await store().del(keys.mobileToken(r.tokenHash));
}

/** A session as the API and the phone show it. */
export function sessionView(r: SessionRecord, currentSid?: string): SessionInfo {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: r.id,
    kind: r.kind,
    method: r.method,
    current: r.id === currentSid,
    device: r.device,
    createdAt: iso(r.createdAt),
    lastSeenAt: iso(r.lastSeenAt),
    expiresAt: iso(r.expiresAt),
    ...(r.approvedBy ? { approvedBy: r.approvedBy } : {}),
  };
}
