import { bindingCookieName } from "@/lib/http/binding-cookie";
import { serializeCookie } from "@/lib/http/cookies";

/**
 * How many binding cookies one browser holds: the new ticket's and the
 * newest of the others (a few open /login tabs keep working). Without a cap
 * every /login view added one for 11 minutes, until the proxy (≈ 77) or the
 * app (≈ 150) refused the whole Cookie header (issue 21, item 8).
 */
export const MAX_BINDING_COOKIES = 4;

/**
 * Set-Cookie values that expire this request's oldest binding cookies, so
 * that with the one being issued at most MAX_BINDING_COOKIES remain.
 * Browsers send cookies of one path oldest first (RFC 6265 §5.4), so the
 * first ones in the header are the oldest. A tab whose cookie went gets 404
 * `not_found` ("refresh the login page") for its ticket, nothing worse.
 */
export function oldBindingCookies(headers: Headers, secure: boolean): string[] {
  const prefix = bindingCookieName("", secure);
  const names: string[] = [];
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const name = part.slice(0, part.indexOf("=")).trim();
    const id = name.startsWith(prefix) ? name.slice(prefix.length) : "";
    if (/^[A-Za-z0-9_-]{24}$/.test(id) && !names.includes(name)) names.push(name);
  }
  const excess = names.length - (MAX_BINDING_COOKIES - 1);
  return names
    .slice(0, Math.max(0, excess))
    .map((name) => serializeCookie(name, "", { maxAgeS: 0, secure }));
}
