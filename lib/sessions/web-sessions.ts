import "server-only";
import { randomBytes } from "node:crypto";
import type { Device } from "../api/shapes";
import { env } from "../env";
import { describeUserAgent } from "../http/request-info";
import { store } from "../store";
import { keys } from "../store/keys";
import { forgetCachedCheck } from "./check-cache";

/**
 * The web sessions QR claims created, one hash per user in the store
 * (field: session id, value: JSON). The session's JWT carries its id; a
 * session whose field is gone is signed out (see active-check.ts).
 */
export interface WebSession extends Device {
  id: string;
  createdAt: number;
  lastSeenAt: number;
}

/** "Last seen" is written at most this often per session. */
export const TOUCH_INTERVAL_MS = 60_000;

export const WEB_SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

/** How long a record outlives its last sighting: the JWT's max age, plus the touch granularity. */
export const recordLifetimeMs = () => env().SESSION_MAX_AGE_S * 1000 + TOUCH_INTERVAL_MS;

export function parseWebSession(id: string, json: string | null): WebSession | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Omit<WebSession, "id">;
    return typeof value.lastSeenAt === "number" ? { ...value, id } : null;
  } catch {
    return null;
  }
}

const serialize = ({ id: _, ...record }: WebSession) => JSON.stringify(record);

export async function createWebSession(
  userId: string,
  client: { userAgent: string; ip: string },
  now = Date.now(),
): Promise<WebSession> {
  const session: WebSession = {
    id: randomBytes(16).toString("base64url"),
    ...describeUserAgent(client.userAgent),
    ip: client.ip,
    createdAt: now,
    lastSeenAt: now,
  };
  await store().setField(
    keys.webSessions(userId),
    session.id,
    serialize(session),
    recordLifetimeMs(),
  );
  return session;
}

/** Writes a new "last seen", only while the session still exists (never revives a signed-out one). */
export async function touchWebSession(userId: string, session: WebSession, now = Date.now()) {
  const next = { ...session, lastSeenAt: now };
  const key = keys.webSessions(userId);
  return store().setField(key, session.id, serialize(next), recordLifetimeMs(), true);
}

/** The user's live web sessions, most recently seen first; records past their age are dropped. */
export async function listWebSessions(userId: string, now = Date.now()): Promise<WebSession[]> {
  const key = keys.webSessions(userId);
  const hash = (await store().getHash(key)) ?? {};
  const live: WebSession[] = [];
  for (const [id, json] of Object.entries(hash)) {
    const session = parseWebSession(id, json);
    if (session && session.lastSeenAt + recordLifetimeMs() > now) live.push(session);
    else await store().deleteField(key, id);
  }
  return live.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
}

/** Deletes the session's record: its next request finds it gone. Null when it did not exist. */
export async function endWebSession(userId: string, id: string): Promise<WebSession | null> {
  const key = keys.webSessions(userId);
  const session = parseWebSession(id, await store().getField(key, id));
  const deleted = await store().deleteField(key, id);
  forgetCachedCheck(userId, id);
  return deleted ? session : null;
}
