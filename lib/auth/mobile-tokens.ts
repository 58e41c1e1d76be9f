import "server-only";
import { randomBytes } from "node:crypto";
import { env } from "../env";
import { store } from "../store";
import { keys } from "../store/keys";
import { sha256 } from "../tickets/ids";

/**
 * Bearer tokens for native apps: 256 random bits, prefixed so leaked ones are
 * easy to spot. The store keeps only the token's hash → user id, with a TTL.
 */
const PREFIX = "qrlm_";

export async function issueMobileToken(userId: string) {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const ttlMs = env().MOBILE_TOKEN_TTL_S * 1000;
  await store().setString(keys.mobileToken(sha256(token)), userId, ttlMs);
  return { token, expiresAt: new Date(Date.now() + ttlMs).toISOString() };
}

/** The user id a token belongs to, or null for unknown, revoked or expired tokens. */
export async function resolveMobileToken(token: string): Promise<string | null> {
  if (!token.startsWith(PREFIX) || token.length > 100) return null;
  return store().getString(keys.mobileToken(sha256(token)));
}

export async function revokeMobileToken(token: string): Promise<void> {
  await store().del(keys.mobileToken(sha256(token)));
}
