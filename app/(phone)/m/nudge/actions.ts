"use server";

import { currentUser } from "@/lib/auth/session";
import { dismissSecondPasskeyNudge } from "@/lib/phone/nudge";

/** "Not now" on the second-passkey prompt: remembered on this phone for this account. */
export async function dismissNudge(form: FormData): Promise<void> {
  if (!(form instanceof FormData)) return;
  const user = await currentUser();
  if (user?.kind === "phone") await dismissSecondPasskeyNudge(user.id);
}
