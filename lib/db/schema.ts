import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The system of record (README "The database"). Redis keeps what is
 * short-lived; everything here must survive losing Redis. `drizzle-kit
 * generate` turns this file into the SQL in ./migrations (committed).
 *
 * Tables are named for what they hold; every row of an account goes with it
 * (ON DELETE CASCADE). Timestamps are UTC (timestamptz).
 */

const created = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updated = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const accounts = pgTable(
  "accounts",
  {
    /** Opaque and stable: tickets and sessions in Redis hold only this. */
    id: text("id").primaryKey(),
    /** normalizeUsername(typed) (lib/users/username.ts): one form, unique. */
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    /** A PHC string: argon2id as written here; bcrypt or other argon2 as imported, upgraded at sign-in. */
    passwordHash: text("password_hash").notNull(),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [uniqueIndex("accounts_username_key").on(t.username)],
);

/** One row per account that changed a setting; no row means the defaults. */
export const accountSettings = pgTable("account_settings", {
  accountId: text("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "cascade" }),
  /** Approvals need a passkey even while the account has none (it must add one first). */
  passkeyRequired: boolean("passkey_required").notNull().default(false),
  updatedAt: updated(),
});

export const passkeys = pgTable(
  "passkeys",
  {
    /** The WebAuthn credential id, base64url: unique across accounts. */
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** The authenticator's signature counter (0 for most passkeys, which do not count). */
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: jsonb("transports").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    name: text("name").notNull(),
    createdAt: created(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("passkeys_account_idx").on(t.accountId)],
);

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** A hash of the code (never the code): shown once, then only checked. */
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: created(),
  },
  (t) => [index("recovery_codes_account_idx").on(t.accountId)],
);

export const knownBrowsers = pgTable(
  "known_browsers",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** A hash of the device cookie's id: the same browser is recognised, its cookie never stored. */
    deviceHash: text("device_hash").notNull(),
    label: text("label").notNull(),
    firstSeenAt: created(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("known_browsers_key").on(t.accountId, t.deviceHash)],
);

export const securityEvents = pgTable(
  "security_events",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** e.g. sign_in, login_approved, passkey_added, password_reset. */
    kind: text("kind").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("security_events_account_at_idx").on(t.accountId, t.at)],
);

export type AccountRow = typeof accounts.$inferSelect;

/**
 * The OpenID Provider's durable records (lib/oidc/adapter.ts): its grants and
 * refresh tokens, which must outlive a Redis loss (the short-lived codes,
 * interactions and sessions live in Redis). `payload` is oidc-provider's own
 * record; a revoked grant deletes every row with its grant_id.
 */
export const oidcRecords = pgTable(
  "oidc_records",
  {
    /** oidc-provider's model name: Grant or RefreshToken. */
    model: text("model").notNull(),
    id: text("id").notNull(),
    accountId: text("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    grantId: text("grant_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index("oidc_records_grant_idx").on(t.grantId),
    index("oidc_records_expires_idx").on(t.expiresAt),
  ],
);

/** An account's consent to an app (not first-party): asked once, then remembered until revoked. */
export const oidcConsents = pgTable(
  "oidc_consents",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    /** The scopes consented to, space-separated (e.g. "openid profile"). */
    scope: text("scope").notNull(),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.clientId] })],
);

/**
 * Webhook messages waiting for delivery when there is no Redis (the embedded
 * mode's queue, lib/webhooks/outbox.ts): kept here so an undelivered event
 * survives a restart or a crash. One row per message, its id the
 * `webhook-id` (queuing it again changes nothing); deleted once delivered or
 * after its last attempt.
 */
export const webhookOutbox = pgTable(
  "webhook_outbox",
  {
    /** The message id (`webhook-id`), the same on every attempt. */
    id: text("id").primaryKey(),
    /** The event as sent: `{type, timestamp, data}`. */
    message: jsonb("message").$type<Record<string, unknown>>().notNull(),
    /** Attempts begun so far. */
    attempts: integer("attempts").notNull().default(0),
    /** Due from then; while an attempt runs, when it is given up as lost (the claim's lease). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: created(),
  },
  (t) => [index("webhook_outbox_due_idx").on(t.nextAttemptAt)],
);
