import "server-only";
import { singleton } from "../registry";
import type { WebSession } from "./web-sessions";

/**
 * A few seconds' memory of web sessions found live, so a page that makes
 * several session checks costs one store read. Shared by every bundle of the
 * process through lib/registry.ts; a sign-out on this instance forgets at once,
 * one on another instance is seen within CHECK_CACHE_MS.
 */
export const CHECK_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Entry = { session: WebSession; checkedAt: number };
export type SessionCheckCache = Map<string, Entry>;
const cache = (): SessionCheckCache => singleton("sessionChecks", () => new Map());

const keyOf = (userId: string, sessionId: string) => `${userId}\n${sessionId}`;

export function cachedCheck(userId: string, sessionId: string, now: number): WebSession | null {
  const entry = cache().get(keyOf(userId, sessionId));
  return entry && now - entry.checkedAt < CHECK_CACHE_MS ? entry.session : null;
}

export function rememberCheck(userId: string, session: WebSession, now: number) {
  const map = cache();
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(keyOf(userId, session.id), { session, checkedAt: now });
}

export function forgetCachedCheck(userId: string, sessionId: string) {
  cache().delete(keyOf(userId, sessionId));
}
