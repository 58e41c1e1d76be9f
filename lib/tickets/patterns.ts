/**
 * The shapes of what a QR's URL carries, defined once: the route schemas,
 * the fast status path, the claim and the phone pages' proxy all test these
 * (no server-only import, so proxy.ts can use it too).
 */

/** A ticket id: 18 random bytes as 24 URL-safe characters (lib/tickets/ids.ts makes them). */
export const TICKET_ID = /^[A-Za-z0-9_-]{24}$/;

/** The QR's rotating token, `{slot}.{mac}` (lib/tickets/qr-token.ts derives and checks it). */
export const QR_TOKEN = /^(\d{1,6})\.([A-Za-z0-9_-]{16})$/;

/** A scan page's path, `/m/scan/{ticketId}`; its id is the first group. */
export const SCAN_PATH = new RegExp(`^/m/scan/(${TICKET_ID.source.slice(1, -1)})$`);
