import "server-only";
import { createHash } from "node:crypto";
import pino from "pino";
import { env } from "./env";
import { metrics } from "./metrics";

type Logger = pino.Logger;

const cache = globalThis as unknown as { qrlLogger?: Logger };

/** One JSON line per event on stdout. */
export function logger(): Logger {
  cache.qrlLogger ??= pino({
    level: env().LOG_LEVEL,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["*.password", "*.token", "*.secret"], censor: "[redacted]" },
  });
  return cache.qrlLogger;
}

/** A ticket id as it may appear in logs: never the id itself, which grants a scan. */
export function hashId(id: string): string {
  return createHash("sha256").update(id).digest("base64url").slice(0, 12);
}

export type AuditEvent = "create" | "scan" | "confirm" | "deny" | "cancel" | "claim" | "status";

/** One structured audit line: what was attempted on which ticket, by whom, and how it ended. */
export function audit(
  event: AuditEvent,
  fields: { ticketId: string; outcome: string; userId?: string; ip?: string },
) {
  const { ticketId, ...rest } = fields;
  logger().info({ audit: event, ticket: hashId(ticketId), ...rest });
  if (event !== "status") metrics().ticketActions.inc({ action: event, outcome: fields.outcome });
}
