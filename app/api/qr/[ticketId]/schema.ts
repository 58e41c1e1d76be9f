import { z } from "zod";
import { TICKET_ID } from "@/lib/tickets/ids";

export const ticketParams = z.object({
  ticketId: z.string().regex(TICKET_ID, "not a ticket id"),
});

export const statusQuery = z.object({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  wait: z.coerce.number().min(0).max(25).optional(),
});
