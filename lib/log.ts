import "server-only";
import { createHash } from "node:crypto";
import pino from "pino";
import { env } from "./env";
import { metrics } from "./metrics";
import { singleton } from "./registry";

type Logger = pino.Logger;

/** One JSON line per event on stdout. */
export function logger(): Logger {
  return singleton("logger", () => {
    const e = env();
    return pino({
      level: e.LOG_LEVEL,
      // Readable lines while developing (pino-pretty is a dev dependency); JSON everywhere else.
      ...(e.NODE_ENV === "development" ? { transport: { target: "pino-pretty" } } : {}),
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ["*.password", "*.token", "*.secret"], censor: "[redacted]" },
    });
  });
}

/** A ticket id as it may appear in logs: never the id itself, which grants a scan. */
export function hashId(id: string): string {
  return createHash("sha256").update(id).digest("base64url").slice(0, 12);
}

export type AuditEvent =
  | "create"
  | "scan"
  | "confirm"
  | "deny"
  | "cancel"
  | "claim"
  | "refuse"
  | "status"
  | "rotate";

/** One structured audit line: what was attempted on which ticket, by whom, and how it ended. */
export function audit(
  event: AuditEvent,
  fields: { ticketId: string; outcome: string; userId?: string; ip?: string },
) {
  const { ticketId, ...rest } = fields;
  logger().info({ audit: event, ticket: hashId(ticketId), ...rest });
  if (event !== "status") metrics().ticketActions.inc({ action: event, outcome: fields.outcome });
}

export type UserAuditEvent =
  | "lookup"
  | "scan_warning"
  | "report"
  | "web_session_created"
  | "web_session_redelivered"
  | "web_session_ended"
  | "oidc_login"
  | "oidc_consent"
  | "account_recovered";

/**
 * One structured audit line about a user's security (lookups, warnings shown,
 * web sessions, reports), same shape as `audit`: ids hashed, never a secret.
 */
export function auditUser(
  event: UserAuditEvent,
  fields: {
    userId: string;
    outcome: string;
    /** The client's address, or "unknown" where no request is at hand. */
    ip: string;
    ticketId?: string;
    sessionId?: string;
    [detail: string]: unknown;
  },
) {
  const { ticketId, sessionId, ...rest } = fields;
  logger().info({
    audit: event,
    ...(ticketId ? { ticket: hashId(ticketId) } : {}),
    ...(sessionId ? { session: hashId(sessionId) } : {}),
    ...rest,
  });
}
