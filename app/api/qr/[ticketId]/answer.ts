import type { Approver } from "@/lib/auth/approver";
import { knownDevice } from "@/lib/devices/known-devices";
import { recordDenial } from "@/lib/history/ticket-answers";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { reserveComputerSession } from "@/lib/sessions/records";
import { tickets } from "@/lib/tickets";
import { emitTicketEvent } from "@/lib/webhooks";
import { ticketParams } from "./schema";

/**
 * Confirms a scanned ticket: names the computer session a claim may make
 * (listed on the phone from now on) and the phone session that approved it.
 * When this account never signed in from the asking browser, the computer
 * must ask "Continue as …?" before it claims (someone who read the code off
 * another person's screen cannot sign that screen in to their own account
 * without a word). Callers have checked the passkey where the account needs one.
 */
export async function approve(ticketId: string, approver: Approver, ip: string) {
  const { userId, sessionId: approvedBy } = approver;
  const sessionId = await reserveComputerSession(userId, ticketId, approvedBy);
  const ticket = await tickets().confirm(
    ticketId,
    userId,
    ip,
    { sessionId, approvedBy },
    async ({ deviceHash }) => !(deviceHash && (await knownDevice(userId, deviceHash))),
  );
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
export function answerRoute(answer: "confirm" | "deny" | "report") {
  const POST = route({ auth: "approver", params: ticketParams }, async (i) => {
    const ip = clientIp(i.req.headers);
    const { ticketId } = i.params;
    if (answer === "confirm") {
      await passkeys(i.req.headers).assertNotRequired(i.approver.userId);
      const ticket = await approve(ticketId, i.approver, ip);
      // A retried confirm after the desktop claimed: the approval stands, as the phone said.
      return json({ state: ticket.state === "consumed" ? "confirmed" : ticket.state });
    }
    const ticket = await tickets().deny(ticketId, i.approver.userId, ip);
    emitTicketEvent(answer === "report" ? "login.reported" : "login.denied", ticket);
    await recordDenial(ticket, { reported: answer === "report", ip });
    return json({ state: ticket.state });
  });
  return methods({ POST });
}
