import "server-only";

interface CookieOptions {
  maxAgeS: number;
  secure: boolean;
  sameSite?: "Strict" | "Lax";
}

/** An HttpOnly, path-wide Set-Cookie value (what a __Host- cookie needs). */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${value}`,
    "Path=/",
    `Max-Age=${Math.max(0, Math.round(o.maxAgeS))}`,
    "HttpOnly",
    `SameSite=${o.sameSite ?? "Strict"}`,
    ...(o.secure ? ["Secure"] : []),
  ].join("; ");
}

/** The cookies a request sent, by name (the first of each name wins). */
export function parseCookies(headers: Headers): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq).trim();
    if (eq > 0 && !cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}
