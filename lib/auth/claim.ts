import "server-only";
import { learnKnownDevice } from "../devices/known-devices";
import { securityHistory } from "../history/history";
import { bindingSecret } from "../http/binding-cookie";
import { clientIp } from "../http/request-info";
import { auditUser, logger } from "../log";
import { metrics } from "../metrics";
import { computerRecord, phoneRecord, type SessionRecord } from "../sessions/records";
import { tickets } from "../tickets";
import type { Ticket } from "../tickets/machine";
import { TICKET_ID } from "../tickets/patterns";
import { TicketActionError } from "../tickets/service";
import { type User, users } from "../users";
import { emitLoginCompleted } from "../webhooks";

/**
 * The `qr` provider's authorize step: claims a confirmed ticket bound to this
 * browser (and, for an account that never signed in from this browser, that
 * the person chose to continue as it: `continueAs`, its username). The claim consumes the ticket and writes the computer session's
 * record in one atomic step (the record lives in the ticket's hash; see
 * lib/sessions/records.ts), so a store stall leaves both done or neither.
 * Returns the user and the session's record, or null (no session) for
 * anything else. A store outage throws, so next-auth answers with an error,
 * never a session. A claim repeated by the same browser shortly after it
 * succeeded (its answer lost to a store stall or the network) gets the same
 * session again (lib/tickets/machine.ts redeliverUntil), so no session record
 * is left that no browser holds.
 */
/** The computer session a consumed ticket still holds (not signed out, not over its age). */
function redeliverable(ticket: Ticket): SessionRecord | null {
  if (ticket.state !== "consumed" || !ticket.session) return null;
  const record = JSON.parse(ticket.session) as SessionRecord;
  return record.id === ticket.sessionId && record.expiresAt > Date.now() ? record : null;
}

export async function claimFromRequest(
  ticketId: unknown,
  headers: Headers,
  continueAs?: unknown,
): Promise<{ user: User; session: SessionRecord } | null> {
  if (typeof ticketId !== "string" || !TICKET_ID.test(ticketId)) return null;
  const secret = bindingSecret(ticketId, headers);
  if (!secret) return null;
  const stopTimer = metrics().claimDuration.startTimer();
  try {
    const ip = clientIp(headers);
    let session: SessionRecord | undefined;
    let deviceHash: string | undefined;
    const claimed = await tickets().claim(
      ticketId,
      secret,
      ip,
      async (confirmed) => {
        deviceHash = confirmed.deviceHash;
        const { userId, sessionId, approvedBy } = confirmed;
        const approver = userId && approvedBy ? await phoneRecord(userId, approvedBy) : null;
        // The phone that approved was signed out meanwhile (or the ticket predates v2): no session.
        if (!userId || !sessionId || !approver) throw new TicketActionError("invalid_state");
        const userAgent = headers.get("user-agent") || confirmed.requester.userAgent;
        session = computerRecord({ sid: sessionId, userId, ticketId, approver }, { userAgent, ip });
        return { record: JSON.stringify(session), expiresAt: session.expiresAt };
      },
      async ({ userId }) => {
        // The person at the computer chose "Continue" for this very account (its username).
        if (typeof continueAs !== "string" || !continueAs || !userId) return false;
        return (await users().get(userId))?.username === continueAs;
      },
    );
    // Claimed before by this browser (the binding matched), its answer lost: the same session again.
    const redelivered = !session ? redeliverable(claimed) : null;
    if (redelivered) session = redelivered;
    if (!session) return null;
    const user = await users().get(session.userId);
    if (!user) return null;
    auditUser(redelivered ? "web_session_redelivered" : "web_session_created", {
      userId: user.id,
      sessionId: session.id,
      ip,
      outcome: "ok",
    });
    // The webhook's id is the ticket's: a receiver that had it already drops it.
    emitLoginCompleted(claimed, session);
    if (redelivered) return { user, session };
    // The session exists from here on: neither its history line nor remembering its browser
    // ("signed in from this browser before" on the next scan) may undo it. One statement.
    const { browser, os } = session.device;
    await securityHistory()
      .recordLogin(
        user.id,
        { kind: "login", ...session.device, at: Date.now() },
        deviceHash ? { deviceHash, label: `${browser} on ${os}` } : undefined,
      )
      .then(() => {
        if (deviceHash) learnKnownDevice(user.id, deviceHash);
      })
      .catch((error: unknown) =>
        logger().warn({ err: String(error) }, "sign-in not written to the history"),
      );
    return { user, session };
  } catch (error) {
    // Said as it is: the claim needs the person at the computer to continue as the account.
    if (TicketActionError.is(error) && error.code === "continue_required") throw error;
    if (TicketActionError.is(error)) return null;
    throw error;
  } finally {
    stopTimer();
  }
}
