import { z } from "zod";
import { TICKET_STATES } from "../tickets/machine";

/**
 * The API's answers, defined once (PROTOCOL.md v2). The server's views are
 * typed by them; the browser client (components/api-client.ts), the
 * command-line phone (scripts/phone.ts) and the benchmark import the types.
 * A pure module: no server code, safe for the browser (which imports types only).
 */

const isoTime = z.iso.datetime();

export const ticketState = z.enum(TICKET_STATES);

/** Who a session or a requester is: browser and OS from the user agent, and the IP address. */
export const device = z.object({ browser: z.string(), os: z.string(), ip: z.string() });
export type Device = z.infer<typeof device>;

/** `POST /api/qr` → 201 */
export const createdTicket = z.object({
  ticketId: z.string(),
  scanUrl: z.url(),
  userCode: z.string(),
  expiresAt: isoTime,
  pollIntervalMs: z.number().int(),
});
export type CreatedTicket = z.infer<typeof createdTicket>;

/** `GET /api/qr/{ticketId}` → 200 */
export const ticketStatus = z.object({
  state: ticketState,
  version: z.number().int(),
  expiresAt: isoTime,
  scanner: z.object({ displayName: z.string() }).optional(),
});
export type TicketStatus = z.infer<typeof ticketStatus>;

/**
 * Signs that a scanned code may have been relayed by someone else (QRLJacking):
 * `different_network` (the computer asked from another network than the
 * phone is on), `old_code` (the code was made a while before this scan).
 */
export const scanWarning = z.enum(["different_network", "old_code"]);
export type ScanWarning = z.infer<typeof scanWarning>;

/** `POST /api/qr/{ticketId}/scan` → 200 */
export const scannedTicket = z.object({
  ticketId: z.string(),
  state: ticketState,
  userCode: z.string(),
  expiresAt: isoTime,
  requester: device.extend({ createdAt: isoTime }),
  warnings: z.array(scanWarning),
});
export type ScannedTicket = z.infer<typeof scannedTicket>;

/** `POST /api/qr/{ticketId}/confirm|deny|report` → 200 */
export const ticketAnswer = z.object({ state: ticketState });

/** `POST /api/mobile/sessions` → 201 */
export const mobileSession = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), displayName: z.string() }),
  expiresAt: isoTime,
});
export type MobileSession = z.infer<typeof mobileSession>;

/** A computer signed in to the account by QR, as `GET /api/sessions` lists it. */
export const webSessionInfo = device.extend({
  id: z.string(),
  createdAt: isoTime,
  lastSeenAt: isoTime,
});
export type WebSessionInfo = z.infer<typeof webSessionInfo>;

/** Every error: `{error: {code, message, state?}}`. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), state: ticketState.optional() }),
});
export type ErrorBody = z.infer<typeof errorBody>;
