import "server-only";
import { recordHistory } from "../history/history";
import { clientIp } from "../http/request-info";
import { auditUser } from "../log";
import { metrics } from "../metrics";
import { createWebSession } from "../sessions/web-sessions";
import { tickets } from "../tickets";
import { bindingSecret } from "../tickets/binding";
import { TICKET_ID } from "../tickets/ids";
import { TicketActionError } from "../tickets/service";
import { type User, users } from "../users";

/**
 * The `qr` provider's authorize step: claims a confirmed ticket bound to this
 * browser. Returns the user to sign in with the id of the web session recorded
 * for this browser (listed on the phone, which can sign it out), or null (no
 * session) for anything else. A store outage throws, so next-auth answers with
 * an error, never a session.
 */
export async function claimFromRequest(
  ticketId: unknown,
  headers: Headers,
): Promise<(User & { sessionId: string }) | null> {
  if (typeof ticketId !== "string" || !TICKET_ID.test(ticketId)) return null;
  const secret = bindingSecret(ticketId, headers);
  if (!secret) return null;
  const stopTimer = metrics().claimDuration.startTimer();
  try {
    const ip = clientIp(headers);
    const ticket = await tickets().claim(ticketId, secret, ip);
    const user = ticket.userId ? await users().get(ticket.userId) : null;
    if (!user) return null;
    const userAgent = headers.get("user-agent") || ticket.requester.userAgent;
    const session = await createWebSession(user.id, { userAgent, ip });
    await recordHistory(user.id, { kind: "login", browser: session.browser, os: session.os, ip });
    auditUser("web_session_created", { userId: user.id, sessionId: session.id, ip, outcome: "ok" });
    return { ...user, sessionId: session.id };
  } catch (error) {
    if (TicketActionError.is(error)) return null;
    throw error;
  } finally {
    stopTimer();
  }
}
