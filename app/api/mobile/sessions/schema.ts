import { z } from "zod";

export const signInBody = z.object({
  username: z.string().trim().min(1, "required").max(200),
  password: z.string().min(1, "required").max(200),
});
