import { z } from "zod";
import { normalizeUserCode } from "@/lib/tickets/user-code";

/**
 * `{userCode}` as a person typed it: case does not matter, the dash and spaces
 * are optional, and look-alikes that can mean only one letter are forgiven
 * (1, I and | → L; 2 → Z; 5 → S; 8 → B). 0 and O, vowels and anything else
 * outside BCDFGHJKLMNPQRSTVWXZ are a 400 invalid_request (they cannot name a
 * ticket, so they use up no lookup). Parsed to the stored form `XXXX-XXXX`.
 */
export const lookupBody = z.object({
  userCode: z
    .string()
    .max(64)
    .transform((typed, ctx) => {
      const result = normalizeUserCode(typed);
      if (result.ok) return result.code;
      ctx.addIssue({ code: "custom", message: result.reason });
      return z.NEVER;
    }),
});
