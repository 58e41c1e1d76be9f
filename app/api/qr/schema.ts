import { z } from "zod";

/** `POST /api/qr?oidc=<uid>`: the sign-in is an app's (an OpenID Provider interaction). */
export const createQuery = z.object({
  oidc: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "an interaction id")
    .optional(),
});
