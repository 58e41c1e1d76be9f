import { z } from "zod";
import { SESSION_ID } from "@/lib/sessions/records";

export const sessionParams = z.object({
  sessionId: z.string().regex(SESSION_ID, "not a session id"),
});
