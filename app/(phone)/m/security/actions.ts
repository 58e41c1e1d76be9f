"use server";

import { headers } from "next/headers";
import { recoveryCodes } from "@/lib/accounts";
import { reauthenticate } from "@/lib/auth/reauth";
import { currentUser } from "@/lib/auth/session";
import { refusalOf } from "@/lib/http/errors";
import { clientIp } from "@/lib/http/request-info";
import { passkeys } from "@/lib/passkeys";

export type RenewProblem = "signedOut" | "wrong" | "tooMany" | "unavailable";
export type RenewResult = { codes: string[] } | { problem: RenewProblem } | null;

/**
 * New recovery codes (every old one void), for the phone's signed-in
 * account, with its password entered again (under the sign-in limits): the
 * form on /m/security, a plain form post (works without JavaScript).
 */
export async function renewRecoveryCodes(
  _previous: RenewResult,
  form: FormData,
): Promise<RenewResult> {
  if (!(form instanceof FormData)) return { problem: "wrong" };
  const password = String(form.get("password") ?? "").slice(0, 1024);
  const user = await currentUser();
  if (user?.kind !== "phone") return { problem: "signedOut" };
  if (!password) return { problem: "wrong" };
  const h = await headers();
  try {
    await reauthenticate(
      passkeys(h),
      { userId: user.id, sessionId: user.sid },
      password,
      clientIp(h),
    );
    const codes = await recoveryCodes().issue(user.id);
    return codes ? { codes } : { problem: "signedOut" };
  } catch (error) {
    const refused = refusalOf(error);
    if (!refused) return { problem: "unavailable" };
    if (refused.code === "invalid_credentials") return { problem: "wrong" };
    if (refused.code === "rate_limited") return { problem: "tooMany" };
    if (refused.code === "unauthorized") return { problem: "signedOut" };
    return { problem: "unavailable" };
  }
}
