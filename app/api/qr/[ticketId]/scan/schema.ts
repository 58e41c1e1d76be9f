import { z } from "zod";

/**
 * `?t={slot}.{mac}`: the token the scanned QR's URL carried (the QR rotates
 * while it waits; a replaced or forged token answers 410 `qr_replaced`).
 * Absent or empty: a QR without rotation, which carries none.
 */
export const scanQuery = z.object({
  t: z
    .string()
    .regex(/^(?:\d{1,6}\.[A-Za-z0-9_-]{16})?$/, "not a QR token")
    .optional(),
});
