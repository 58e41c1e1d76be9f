import { z } from "zod";

/** `POST /api/recovery`: lost passkey — the password and one recovery code. */
export const recoveryBody = z.object({
  username: z.string().trim().min(1, "required").max(200),
  password: z.string().min(1, "required").max(200),
  code: z.string().trim().min(1, "required").max(40),
});
