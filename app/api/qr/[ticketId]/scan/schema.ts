import { z } from "zod";
import { QR_TOKEN } from "@/lib/tickets/patterns";

/**
 * `?t={slot}.{mac}`: the token the scanned QR's URL carried (the QR rotates
 * while it waits; a replaced or forged token answers 410 `qr_replaced`).
 * Absent or empty: a QR without rotation, which carries none.
 */
export const scanQuery = z.object({
  t: z.union([z.literal(""), z.string().regex(QR_TOKEN, "not a QR token")]).optional(),
});
