import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { serializeCookie } from "@/lib/http/cookies";

/**
 * The username of a refused password sign-in, kept for the form that comes
 * back (a plain POST and a 303: no JavaScript to remember it), so the person
 * only retypes the password. A short-lived HttpOnly cookie, never the URL.
 */
const name = (secure: boolean) => `${secure ? "__Host-" : ""}qrl-last-username`;

/** The Set-Cookie after a sign-in: kept for 5 minutes when refused, cleared when signed in. */
export function lastUsernameCookie(username: string | null): string {
  const e = env();
  const value = username ? encodeURIComponent(username.slice(0, 200)) : "";
  return serializeCookie(name(e.secureCookies), value, {
    maxAgeS: username ? 300 : 0,
    secure: e.secureCookies,
    sameSite: "Lax",
  });
}

/** The username the last refused sign-in of this browser used, or "". */
export async function lastUsername(): Promise<string> {
  const value = (await cookies()).get(name(env().secureCookies))?.value ?? "";
  try {
    return decodeURIComponent(value);
  } catch {
    return "";
  }
}
