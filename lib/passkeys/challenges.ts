import "server-only";
import type { KvStore } from "../store/kv";

/**
 * One-time WebAuthn challenges. Each is a field of a short-lived hash whose
 * name is the challenge itself, so taking one is a single atomic delete
 * (HDEL): of any number of requests carrying the same signed challenge, one
 * gets it, and a replayed assertion finds nothing.
 */
export interface Challenge {
  purpose: "approve" | "register" | "step-up";
  userId: string;
  /** The phone session that asked for it. */
  sessionId: string;
  /** For "approve": the ticket and the version it was issued for. */
  ticketId?: string;
  version?: number;
  expiresAt: number;
}

/** How long a person has to unlock their passkey after the phone asked. */
export const CHALLENGE_TTL_MS = 120_000;

export async function saveChallenge(kv: KvStore, key: string, challenge: string, c: Challenge) {
  await kv.setField(key, challenge, JSON.stringify(c), CHALLENGE_TTL_MS);
}

/** The challenge's record, removed in the same step; null when unknown, taken already or expired. */
export async function takeChallenge(
  kv: KvStore,
  key: string,
  challenge: string,
  now: number,
): Promise<Challenge | null> {
  const raw = await kv.getField(key, challenge);
  if (!raw || !(await kv.deleteField(key, challenge))) return null;
  try {
    const c = JSON.parse(raw) as Challenge;
    return c.expiresAt > now ? c : null;
  } catch {
    return null;
  }
}

/** The challenge an assertion or attestation signed (from its clientDataJSON), or null. */
export function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as {
      challenge?: unknown;
    };
    return typeof data.challenge === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(data.challenge)
      ? data.challenge
      : null;
  } catch {
    return null;
  }
}
