import { z } from "zod";
import { displayName, newPassword } from "@/lib/accounts/fields";
import { authenticationResponse } from "@/lib/passkeys/schema";

export const renameBody = z.object({ displayName });

export const passwordBody = z.object({
  currentPassword: z.string().min(1, "required").max(200),
  newPassword,
});

/** The password, or (native apps) a passkey's step-up assertion from `POST /api/passkeys/step-up`. */
export const deleteBody = z
  .object({
    password: z.string().min(1, "required").max(200).optional(),
    stepUp: authenticationResponse.optional(),
  })
  .refine((b) => (b.password === undefined) !== (b.stepUp === undefined), {
    message: "send the password or a passkey's stepUp (one of the two)",
  });
