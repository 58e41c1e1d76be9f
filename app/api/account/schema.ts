import { z } from "zod";
import { newPassword } from "@/lib/accounts/fields";

export const renameBody = z.object({
  displayName: z.string().trim().min(1, "required").max(100, "at most 100 characters"),
});

export const passwordBody = z.object({
  currentPassword: z.string().min(1, "required").max(200),
  newPassword,
});

export const deleteBody = z.object({ password: z.string().min(1, "required").max(200) });
