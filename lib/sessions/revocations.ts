import "server-only";
import { forgetKnownDevices } from "../devices/known-devices";
import { listen, publish } from "../events";
import { registry } from "../registry";

/**
 * What this instance was told is signed out, and what it found live a moment
 * ago. A sign-out is published on the events channel (lib/events.ts
 * delivers it), so every instance refuses the session within milliseconds and
 * keeps refusing it while the store is unreachable, until the session would
 * have expired anyway. Both maps are bounded.
 */
export interface SessionMemory {
  /** Session id → until when to refuse it (ms). */
  revoked: Map<string, number>;
  /** Session id → when it was last found live in the store (ms). */
  live: Map<string, number>;
}

const MAX_ENTRIES = 100_000;
/** How long a check found live is trusted without the store (a sign-out event clears it at once). */
export const LIVE_CACHE_MS = 5_000;

export function sessionMemory(): SessionMemory {
  const r = registry();
  r.sessions ??= { revoked: new Map(), live: new Map() };
  return r.sessions;
}

export function isRevoked(sid: string, now = Date.now()): boolean {
  const until = sessionMemory().revoked.get(sid);
  return until !== undefined && until > now;
}

/** Remembers sign-outs (from this instance or another one's event). */
export function revokeLocally(sids: string[], until: number) {
  const m = sessionMemory();
  if (m.revoked.size + sids.length > MAX_ENTRIES) {
    const now = Date.now();
    for (const [sid, u] of m.revoked) if (u <= now) m.revoked.delete(sid);
  }
  for (const sid of sids) {
    m.revoked.set(sid, until);
    m.live.delete(sid);
  }
}

export function rememberLive(sid: string, now: number) {
  const live = sessionMemory().live;
  if (live.size >= MAX_ENTRIES) live.clear();
  live.set(sid, now);
}

export function recentlyLive(sid: string, now: number): boolean {
  const at = sessionMemory().live.get(sid);
  return at !== undefined && now - at < LIVE_CACHE_MS;
}

/** After a missed stretch of events (the subscription reconnected), trust nothing cached. */
export const forgetLive = () => sessionMemory().live.clear();

/** The events-channel message that signs sessions out everywhere. */
export interface SignOutEvent {
  type: "signout";
  sids: string[];
  until: number;
}

/**
 * Refuses the sessions on this instance at once, and tells every other one.
 * The records are already deleted; a failed publish leaves the other
 * instances to find that out at their next store read (within LIVE_CACHE_MS).
 */
export async function announceSignOut(sids: string[], until: number) {
  if (sids.length === 0) return;
  revokeLocally(sids, until);
  const event: SignOutEvent = { type: "signout", sids, until };
  await publish({ ...event }).catch(() => {});
}

/**
 * Starts hearing sign-outs and account changes from every instance (at
 * start-up, and before any session check).
 */
export function listenForSignOuts(): Promise<unknown> {
  void listen("account", {
    message(event) {
      if (typeof event.id === "string") forgetAccount(event.id);
    },
    // Renames published while this instance was not listening were missed: forget every cached name.
    resync: forgetAccounts,
  }).catch(() => {});
  return listen("signout", {
    message(event) {
      if (!Array.isArray(event.sids) || typeof event.until !== "number") return;
      revokeLocally(
        event.sids.filter((s): s is string => typeof s === "string"),
        event.until,
      );
    },
    // After a missed stretch of events, trust nothing cached.
    resync: forgetLive,
  });
}

/** The events-channel message that an account was renamed or deleted: every instance forgets what it cached of it. */
export interface AccountChangedEvent {
  type: "account";
  id: string;
}

/** Forgets this instance's cached name of the account (lib/users/cached-directory.ts), if any, and its known browsers. */
export function forgetAccount(userId: string) {
  const users = registry().users as { forget?: (id: string) => void } | undefined;
  users?.forget?.(userId);
  forgetKnownDevices(userId);
}

/** Forgets every cached name on this instance (the events channel had a gap). */
export function forgetAccounts() {
  const users = registry().users as { forgetAll?: () => void } | undefined;
  users?.forgetAll?.();
  forgetKnownDevices();
}

/**
 * Tells every instance (this one at once) that the account changed, so the
 * waiting desktops show its new name. A failed publish leaves the others'
 * cache to run out (a minute at most).
 */
export async function announceAccountChange(userId: string) {
  forgetAccount(userId);
  const event: AccountChangedEvent = { type: "account", id: userId };
  await publish({ ...event }).catch(() => {});
}
