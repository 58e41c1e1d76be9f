import "server-only";
import { auditUser, logger } from "../log";
import { describeUserAgent } from "../net/user-agent";
import type { Ticket } from "../tickets";
import { recordHistory } from "./history";

/**
 * A declined sign-in request in the scanner's history, with the computer that
 * asked. `reported`: "This wasn't me" — the person did not start it, which the
 * audit log records too.
 */
export async function recordDenial(ticket: Ticket, how: { reported: boolean; ip: string }) {
  if (!ticket.userId) return;
  if (how.reported) {
    auditUser("report", {
      userId: ticket.userId,
      ticketId: ticket.id,
      ip: how.ip,
      outcome: "denied",
      requesterIp: ticket.requester.ip,
    });
  }
  await recordHistory(ticket.userId, {
    kind: how.reported ? "reported_request" : "denied",
    ...describeUserAgent(ticket.requester.userAgent),
    ip: ticket.requester.ip,
  }).catch(unrecorded);
}

/**
 * "This isn't me" at the computer: the account that approved was turned down
 * there (it never signed in from that browser). Into its history, and the audit log.
 */
export async function recordRefusal(ticket: Ticket, ip: string) {
  if (!ticket.userId) return;
  auditUser("report", {
    userId: ticket.userId,
    ticketId: ticket.id,
    ip,
    outcome: "refused_at_computer",
    requesterIp: ticket.requester.ip,
  });
  await recordHistory(ticket.userId, {
    kind: "refused_at_computer",
    ...describeUserAgent(ticket.requester.userAgent),
    ip: ticket.requester.ip,
  }).catch(unrecorded);
}

/** The answer stands without its history line (the database failed after the ticket changed): said in the log. */
const unrecorded = (error: unknown) =>
  logger().warn({ err: String(error) }, "ticket answer not written to the history");
