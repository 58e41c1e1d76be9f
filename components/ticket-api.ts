/**
 * The desktop's calls to the ticket API (/login) and the one error type of
 * every browser-side call. Kept apart from the phone's calls
 * (components/api-client.ts, which re-exports these), so /login's bundle has
 * only what it uses (its JavaScript budget, issue 25.7).
 */

import type { CreatedTicket, ErrorBody, TicketStatus } from "@/lib/api/shapes";
import { isFinal, type TicketState } from "@/lib/tickets/machine";

export type {
  CreatedTicket,
  Location,
  ScannedTicket,
  ScanWarning,
  SessionInfo,
  TicketApproval,
  TicketStatus,
} from "@/lib/api/shapes";
// The answers' shapes are the server's own (lib/api/shapes.ts); the states
// and which are final come from the server's state machine (a pure module).
export type { TicketState };

export const isFinalState = (state: TicketState | undefined) => !!state && isFinal(state);

/** A failed call: the HTTP status (0 for no answer at all) and the API's error code. */
export class ApiRequestError extends Error {
  override name = "ApiRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterS?: number,
    /** With invalid_state: the state the ticket is in. */
    readonly state?: string,
  ) {
    super(message);
  }
}

/** Why no answer came back: `offline` when the browser says it is offline, else `no_answer`. */
export const noAnswerCode = () =>
  typeof navigator !== "undefined" && navigator.onLine === false ? "offline" : "no_answer";

/** No answer came back, and the browser is offline: the person's connection, not the service. */
export const isOfflineError = (error: unknown) =>
  error instanceof ApiRequestError && error.status === 0 && error.code === "offline";

export async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", ...init.headers },
    });
  } catch {
    // No answer at all. Offline (the browser knows it) is the person's connection;
    // online, it is most likely the service that is not answering.
    throw new ApiRequestError(0, noAnswerCode(), "No answer from the server.");
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
  if (res.ok && body) return body;
  const retryAfter = Number(res.headers.get("Retry-After"));
  throw new ApiRequestError(
    res.status,
    body?.error?.code ?? "http_error",
    body?.error?.message ?? `The server answered ${res.status}.`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    body?.error?.state,
  );
}

export const post = <T>(path: string, body: unknown = {}) =>
  call<T>(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

/** `oidc`: the OpenID Provider interaction this sign-in is for (the phone then names its app). */
export const createTicket = (oidc?: string) =>
  post<CreatedTicket>(oidc ? `/api/qr?${new URLSearchParams({ oidc })}` : "/api/qr");
/**
 * The ticket's status; with `since` and `wait`, a long-poll that answers when
 * it changes, or when the QR on screen (its slot, `qr`) is due to change.
 */
export function ticketStatus(
  id: string,
  poll?: { since: number; wait: number; qr?: number },
  signal?: AbortSignal,
) {
  const slot = poll?.qr === undefined ? "" : `&qr=${poll.qr}`;
  const query = poll ? `?since=${poll.since}&wait=${poll.wait}${slot}` : "";
  return call<TicketStatus>(`/api/qr/${id}${query}`, { signal });
}

/** The rotation slot of a scan URL's QR (the number before the dot in its `t`), if it has one. */
export function qrSlotOf(scanUrl: string | undefined): number | undefined {
  const slot = /[?&]t=(\d{1,6})\./.exec(scanUrl ?? "")?.[1];
  return slot === undefined ? undefined : Number(slot);
}
export const cancelTicket = (id: string) => call<void>(`/api/qr/${id}`, { method: "DELETE" });
/** "This isn't me": the account that approved is not this person's; the ticket is never claimed. */
export const refuseTicket = (id: string) => post<void>(`/api/qr/${id}/refuse`);
