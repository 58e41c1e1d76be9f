import "server-only";
import { cookies } from "next/headers";
import { env } from "../env";
import { serializeCookie } from "../http/cookies";
import { sha256 } from "../tickets/ids";

/**
 * "Add a second passkey": shown to an account with exactly one passkey until
 * dismissed on that phone. The dismissal is a cookie (this phone, this
 * account: a hash of the account id, nothing else), so it costs no store.
 */
const NAME = "qrl-second-passkey";
const MAX_AGE_S = 400 * 24 * 3600;

const mark = (userId: string) => sha256(`second-passkey\n${userId}`).slice(0, 22);

export async function secondPasskeyNudge(userId: string, passkeyCount: number): Promise<boolean> {
  if (passkeyCount !== 1) return false;
  return (await cookies()).get(NAME)?.value !== mark(userId);
}

/** The Set-Cookie that hides the prompt on this phone for this account. */
export const nudgeDismissedCookie = (userId: string) =>
  serializeCookie(NAME, mark(userId), {
    maxAgeS: MAX_AGE_S,
    secure: env().secureCookies,
    sameSite: "Lax",
  });
