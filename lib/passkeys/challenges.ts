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
  /**
   * For "register": the digest (fieldsDigest) of the account's passkey ids
   * when the challenge was issued; the new passkey is kept only if they are
   * still exactly these (one compare-and-set with the write).
   */
  passkeys?: string;
  /** For "register": whether a step-up with an existing passkey was verified to issue it. */
  steppedUp?: boolean;
  expiresAt: number;
}

/** How long a person has to unlock their passkey after the phone asked. */
export const CHALLENGE_TTL_MS = 120_000;

/**
 * At most this many challenges wait in one hash (a user's, or a ticket's):
 * asking for more drops the oldest, so no caller can grow the store.
 */
export const MAX_OUTSTANDING_CHALLENGES = 5;

export async function saveChallenge(kv: KvStore, key: string, challenge: string, c: Challenge) {
  await kv.setFieldCapped(
    key,
    challenge,
    JSON.stringify(c),
    CHALLENGE_TTL_MS,
    MAX_OUTSTANDING_CHALLENGES,
  );
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
