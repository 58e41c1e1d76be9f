import { z } from "zod";

/**
 * What people type for their account, checked the same way by the forms and
 * the API (and within what AccountStore accepts). A pure module: the OpenAPI
 * document reads it too.
 */
export const newPassword = z
  .string()
  .min(8, "at least 8 characters")
  .max(200, "at most 200 characters");

/** A display name, as a rename sets it (a sign-up's may be left out). */
export const displayName = z.string().trim().min(1, "required").max(100, "at most 100 characters");

/** A sign-up: username (normalised and checked by AccountStore), optional display name, password. */
export const signUpFields = z.object({
  username: z.string().trim().min(1, "required").max(64, "at most 64 characters"),
  displayName: z.string().trim().max(100, "at most 100 characters").optional(),
  password: newPassword,
});
export type SignUpFields = z.infer<typeof signUpFields>;
