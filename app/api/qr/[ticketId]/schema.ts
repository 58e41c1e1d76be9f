import { z } from "zod";
import { TICKET_ID } from "@/lib/tickets/patterns";

export const ticketParams = z.object({
  ticketId: z.string().regex(TICKET_ID, "not a ticket id"),
});

/** What a phone's answer to a ticket can be refused with (the API document lists them). */
export const APPROVER_ERRORS = [400, 401, 403, 404, 409, 410, 503] as const;
