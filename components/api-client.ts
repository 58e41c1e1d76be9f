/**
 * Browser-side calls to this app's API: typed answers, and one error type that
 * knows how to say in plain words what went wrong and what to do next. The
 * desktop's ticket calls live in ./ticket-api (re-exported here).
 */
import type { LookupAnswer, ScannedTicket, TicketApproval } from "@/lib/api/shapes";
import type { TicketState } from "@/lib/tickets/machine";
import { ApiRequestError, call, post } from "./ticket-api";

export * from "./ticket-api";

/** `qrToken`: the `t` the scanned QR's URL carried (the QR rotates while it waits). */
export const scanTicket = (id: string, qrToken = "") =>
  post<ScannedTicket>(`/api/qr/${id}/scan${qrToken ? `?t=${encodeURIComponent(qrToken)}` : ""}`);
/** `report`: "This wasn't me" — declines and records it in the security history. */
export const answerTicket = (id: string, answer: "confirm" | "deny" | "report") =>
  post<{ state: TicketState }>(`/api/qr/${id}/${answer}`);
/** The scanner follows the ticket it answered; with `since`, a long-poll like ticketStatus. */
export function ticketApproval(id: string, since?: number, signal?: AbortSignal) {
  const query = since === undefined ? "" : `?since=${since}&wait=25`;
  return call<TicketApproval>(`/api/qr/${id}/approval${query}`, { signal });
}
export const lookupUserCode = (userCode: string) =>
  post<LookupAnswer>("/api/qr/lookup", { userCode });
/** Signs a device out (a phone with the computers it approved); `reported`: "This wasn't me". */
export const signOutSession = (id: string, reported = false) =>
  reported
    ? post<{ signedOut: number }>(`/api/sessions/${id}/report`)
    : call<void>(`/api/sessions/${id}`, { method: "DELETE" });
/** Signs out every device but this one. */
export const signOutOtherSessions = () =>
  call<{ signedOut: number }>("/api/sessions", { method: "DELETE" });

/** What to tell a person when a call failed: what happened and what to do next. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiRequestError)) return "Something went wrong. Reload the page.";
  if (error.status === 0) {
    return error.code === "offline"
      ? "You're offline. Check your internet connection and try again."
      : "The sign-in service is not answering. Try again in a moment.";
  }
  if (error.status === 429) {
    const wait = error.retryAfterS ? `${Math.ceil(error.retryAfterS)} seconds` : "a moment";
    return `Too many attempts. Wait ${wait}, then try again.`;
  }
  if (error.status === 503)
    return "The login service is temporarily unavailable. Try again in a moment.";
  if (error.status >= 500) return "Something went wrong on our side. Try again.";
  return error.message;
}
