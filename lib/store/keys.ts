import { createHash } from "node:crypto";

/**
 * Every Redis key the app uses. Ticket keys carry the ticket id as a hash tag
 * (`{…}`) so that all of one ticket's keys live in one Cluster slot; a user's
 * keys carry `u:` and the user id (URI-encoded, so no `{`/`}` in it).
 */
const user = (userId: string) => `{u:${encodeURIComponent(userId)}}`;

export const keys = {
  ticket: (ticketId: string) => `qrl:{${ticketId}}:ticket`,
  /** String, expiring: the desktop read this ticket's status lately (it is still on a screen). */
  ticketFollowed: (ticketId: string) => `qrl:{${ticketId}}:followed`,
  userCode: (code: string) => `qrl:code:{${code}}`,
  mobileToken: (tokenHash: string) => `qrl:mtok:{${tokenHash}}`,
  /**
   * Hash: session id → JSON. A phone session's whole record; for a computer
   * made by QR, a pointer to its ticket, whose hash holds the record (so the
   * claim writes ticket and record in one atomic step, on Cluster too).
   */
  sessions: (userId: string) => `qrl:${user(userId)}:sessions`,
  /** Hash: known browsers as kept before the database (read once and carried over to known_browsers). */
  devices: (userId: string) => `qrl:${user(userId)}:devices`,
  /** List: the security history as kept before the database (carried over to security_events, then removed). */
  history: (userId: string) => `qrl:${user(userId)}:history`,
  /** Hash: credential id → passkey (JSON), and `$require` ("1": approvals need a passkey). */
  passkeys: (userId: string) => `qrl:${user(userId)}:passkeys`,
  /** Hash: one-time WebAuthn challenge → its record, for registering and account changes. */
  passkeyChallenges: (userId: string) => `qrl:${user(userId)}:passkey-challenges`,
  /** Hash: one-time WebAuthn challenge → its record, for approving this ticket (same slot as the ticket). */
  approvalChallenges: (ticketId: string) => `qrl:{${ticketId}}:passkey`,
  /** String: the user id a passkey's credential id is registered to (one credential, one account). */
  passkeyOwner: (credentialId: string) =>
    `qrl:pkowner:{${createHash("sha256").update(credentialId).digest("base64url")}}`,
  /** String: until when (unix ms) this phone session counts as having just entered its password. */
  reauthenticated: (userId: string, sessionId: string) =>
    `qrl:${user(userId)}:reauth:${encodeURIComponent(sessionId)}`,
  /** List: passkeys added to and removed from this account (JSON), newest first, for its phones' notices. */
  passkeyChanges: (userId: string) => `qrl:${user(userId)}:passkey-changes`,
  /** String, expiring: the phone session id a sign-in with this idempotency key (hashed) made. */
  signInOnce: (userId: string, keyHash: string) => `qrl:${user(userId)}:signin:${keyHash}`,
  /** Hash: computer session id → when its sign-in notice was dismissed. */
  dismissedNotices: (userId: string) => `qrl:${user(userId)}:notices-dismissed`,
  /**
   * String: one of the OpenID Provider's short-lived records (JSON), e.g. an
   * AuthorizationCode or an Interaction (lib/oidc/adapter.ts). Each record
   * is its own slot; every command on it names one key (Cluster-safe).
   */
  oidc: (model: string, id: string) => `qrl:oidc:{${model}:${encodeURIComponent(id)}}`,
  /** String, set once: when that record was consumed (a code's one use), beside it (same slot). */
  oidcConsumed: (model: string, id: string) =>
    `qrl:oidc:{${model}:${encodeURIComponent(id)}}:consumed`,
  /** String: the id of the record with this session uid or device user code. */
  oidcLookup: (model: string, kind: "uid" | "userCode", value: string) =>
    `qrl:oidc:{${model}:${kind}:${encodeURIComponent(value)}}`,
  /** Hash: the provider sessions (uid → account id) an app's sign-in made from this site session. */
  oidcSite: (sessionId: string) => `qrl:oidc:{site:${encodeURIComponent(sessionId)}}`,
  /** Hash: the short-lived records issued under one grant (key → "1"), so revoking it finds them. */
  oidcGrant: (grantId: string) => `qrl:oidc:{grant:${encodeURIComponent(grantId)}}`,
  /** Prefix of one rate limit's counters (rate-limiter-flexible appends `:` and the key). */
  rateLimit: (limit: string) => `qrl:rl:${limit}`,
  /** Channel on which every ticket change is published. */
  events: "qrl:events",
} as const;
