import "server-only";
import { randomBytes } from "node:crypto";
import { sessionActive } from "../sessions/checks";
import { createPhoneSession } from "../sessions/records";
import { store } from "../store";
import { keys } from "../store/keys";
import { sha256 } from "../tickets/ids";

/**
 * Bearer tokens for native apps: 256 random bits, prefixed so leaked ones are
 * easy to spot. The store keeps only the token's hash → the user and the
 * phone session the token is (listed in the session registry, revocable from
 * any other device), with the session's lifetime.
 */
const PREFIX = "qrlm_";

type TokenRecord = { userId: string; sid: string };

export async function issueMobileToken(
  userId: string,
  client: { userAgent: string; ip: string },
  /** A retried sign-in's session id (lib/sessions/sign-in-once.ts): a token for that same session. */
  sessionId?: string,
) {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const tokenHash = sha256(token);
  const session = await createPhoneSession(userId, "app", client, Date.now(), {
    id: sessionId,
    tokenHash,
  });
  const record: TokenRecord = { userId, sid: session.id };
  const ttlMs = session.expiresAt - Date.now();
  await store().setString(keys.mobileToken(tokenHash), JSON.stringify(record), ttlMs);
  return { token, expiresAt: new Date(session.expiresAt).toISOString(), sessionId: session.id };
}

/** The user and session a token belongs to, or null for unknown, signed-out or expired tokens. */
export async function resolveMobileToken(token: string): Promise<TokenRecord | null> {
  if (!token.startsWith(PREFIX) || token.length > 100) return null;
  const json = await store().getString(keys.mobileToken(sha256(token)));
  const record = parse(json);
  if (!record) return null;
  const active = await sessionActive({ userId: record.userId, sid: record.sid, kind: "phone" });
  return active ? record : null;
}

export async function forgetMobileToken(token: string): Promise<void> {
  await store().del(keys.mobileToken(sha256(token)));
}

function parse(json: string | null): TokenRecord | null {
  if (!json) return null;
  try {
    const r = JSON.parse(json) as Partial<TokenRecord>;
    return typeof r.userId === "string" && typeof r.sid === "string"
      ? { userId: r.userId, sid: r.sid }
      : null;
  } catch {
    return null;
  }
}
