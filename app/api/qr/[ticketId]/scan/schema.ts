import { z } from "zod";

/**
 * `?t={qrToken}`: the token the scanned QR's URL carried (the QR rotates
 * while it waits; a replaced token answers 410 `qr_replaced`). Absent or
 * empty: the ticket's first QR, which carries none.
 */
export const scanQuery = z.object({
  t: z
    .string()
    .regex(/^(?:[A-Za-z0-9_-]{16})?$/, "not a QR token")
    .optional(),
});
