import { z } from "zod";
import { TICKET_ID } from "@/lib/tickets/ids";

export const ticketParams = z.object({
  ticketId: z.string().regex(TICKET_ID, "not a ticket id"),
});
