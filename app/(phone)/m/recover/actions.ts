"use server";

import { headers } from "next/headers";
import { recoveryBody } from "@/app/api/recovery/schema";
import { currentUser } from "@/lib/auth/session";
import { refusalOf } from "@/lib/http/errors";
import { clientIp } from "@/lib/http/request-info";
import { recoverAccount } from "@/lib/recovery/recover";

export type RecoverProblem = "refused" | "disabled" | "tooMany" | "unavailable";
export type RecoverResult =
  | { done: { passkeysRemoved: number; codesLeft: number; signedOut: number; stayed: boolean } }
  | { problem: RecoverProblem; username: string }
  | null;

/**
 * Lost passkey, on /m/recover: username, password and one recovery code, as
 * `POST /api/recovery` (same rules and limits), from a plain form (Next.js
 * checks a server action's Origin: its CSRF guard). This phone stays signed
 * in when it is the same account's.
 */
export async function recover(_previous: RecoverResult, form: FormData): Promise<RecoverResult> {
  if (!(form instanceof FormData)) return { problem: "refused", username: "" };
  const fields = {
    username: String(form.get("username") ?? "").slice(0, 200),
    password: String(form.get("password") ?? "").slice(0, 200),
    code: String(form.get("code") ?? "").slice(0, 40),
  };
  const refuse = (problem: RecoverProblem) => ({ problem, username: fields.username });
  const parsed = recoveryBody.safeParse(fields);
  if (!parsed.success) return refuse("refused");
  const h = await headers();
  const user = await currentUser();
  const keep = user?.kind === "phone" ? { userId: user.id, sessionId: user.sid } : undefined;
  try {
    const done = await recoverAccount(parsed.data, {
      ip: clientIp(h),
      userAgent: h.get("user-agent") ?? "",
      keep,
    });
    return {
      done: {
        passkeysRemoved: done.passkeysRemoved,
        codesLeft: done.codesLeft,
        signedOut: done.signedOut,
        stayed: keep?.userId === done.userId,
      },
    };
  } catch (error) {
    const refused = refusalOf(error);
    if (!refused) return refuse("unavailable");
    if (refused.code === "invalid_credentials") return refuse("refused");
    if (refused.code === "account_disabled") return refuse("disabled");
    if (refused.code === "rate_limited") return refuse("tooMany");
    return refuse("unavailable");
  }
}
