import { z } from "zod";
import { WEB_SESSION_ID } from "@/lib/sessions/web-sessions";

export const sessionParams = z.object({
  sessionId: z.string().regex(WEB_SESSION_ID, "not a session id"),
});
