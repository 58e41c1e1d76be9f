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
