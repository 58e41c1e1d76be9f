import { ticketAnswer } from "@/lib/api/shapes";
import type { Approver } from "@/lib/auth/approver";
import { knownDevice } from "@/lib/devices/known-devices";
import { recordDenial } from "@/lib/history/ticket-answers";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { logger } from "@/lib/log";
import { passkeys } from "@/lib/passkeys";
import { releaseComputerSession, reserveComputerSession } from "@/lib/sessions/records";
import { type Ticket, tickets } from "@/lib/tickets";
import { emitTicketEvent } from "@/lib/webhooks";
import { APPROVER_ERRORS, ticketParams } from "./schema";

/**
 * Confirms a scanned ticket: names the computer session a claim may make
 * (listed on the phone from now on) and the phone session that approved it.
 * When this account never signed in from the asking browser, the computer
 * must ask "Continue as …?" before it claims (someone who read the code off
 * another person's screen cannot sign that screen in to their own account
 * without a word). Callers have checked the passkey where the account needs one.
 *
 * The session's pointer is written only inside the confirm's own try, once
 * the state machine says this confirm changes the ticket (this user scanned
 * it, it is still scanned), and removed again when the confirm did not take
 * it (refused on a later try, a race lost, the store failing): an unknown
 * id, someone else's ticket, a finished one or a repeated confirm writes
 * nothing (issue 21, item 3).
 */
export async function approve(ticketId: string, approver: Approver, ip: string) {
  const { userId, sessionId: approvedBy } = approver;
  let reserved: string | undefined;
  // An unused pointer that cannot be removed now is dropped by the next listing or confirm.
  const release = async () => {
    if (!reserved) return;
    await releaseComputerSession(userId, reserved).catch((error: unknown) =>
      logger().warn({ err: String(error) }, "unused session pointer kept"),
    );
  };
  let ticket: Ticket;
  let known: Promise<boolean> | undefined;
  try {
    ticket = await tickets().confirm(
      ticketId,
      userId,
      ip,
      async () => {
        reserved ??= await reserveComputerSession(userId, ticketId, approvedBy);
        return { sessionId: reserved, approvedBy };
      },
      // One database read per confirm, however often its compare-and-set is retried.
      async ({ deviceHash }) => {
        if (!deviceHash) return true;
        known ??= knownDevice(userId, deviceHash, ticketId);
        return !(await known);
      },
    );
  } catch (error) {
    await release();
    throw error;
  }
  // Another confirm of the same scan won (or this one repeats it): its pointer stands, this one
  // goes, and the approval was announced by the confirm that made it.
  if (ticket.sessionId !== reserved) {
    await release();
    return ticket;
  }
  emitTicketEvent("login.approved", ticket);
  return ticket;
}

/**
 * The scanner's answer to a scanned ticket: approve, decline, or decline as
 * "This wasn't me" (report). Declines go into the user's security history.
 * An account with a passkey (or the setting) approves through
 * `passkey/begin` and `passkey/finish` instead: here it gets 403 passkey_required.
 * Returns the route's exports (POST, and 405 for the other methods).
 */
const SUMMARY = {
  confirm: "Approve",
  deny: "Decline",
  report: "“This wasn't me”: decline and record it",
};

export function answerRoute(answer: "confirm" | "deny" | "report") {
  const spec = {
    summary: SUMMARY[answer],
    tag: "approver",
    auth: "approver",
    params: ticketParams,
    ok: [200, ticketAnswer],
    errors: APPROVER_ERRORS,
  } as const;
  const POST = route(spec, async (i) => {
    const ip = clientIp(i.req.headers);
    const { ticketId } = i.params;
    if (answer === "confirm") {
      await passkeys(i.req.headers).assertNotRequired(i.approver.userId);
      const ticket = await approve(ticketId, i.approver, ip);
      // A retried confirm after the desktop claimed: the approval stands, as the phone said.
      return i.reply({ state: ticket.state === "consumed" ? "confirmed" : ticket.state });
    }
    const ticket = await tickets().deny(ticketId, i.approver.userId, ip);
    emitTicketEvent(answer === "report" ? "login.reported" : "login.denied", ticket);
    await recordDenial(ticket, { reported: answer === "report", ip });
    return i.reply({ state: ticket.state });
  });
  return methods({ POST });
}
