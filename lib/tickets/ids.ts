import "server-only";
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** 18 random bytes: 144 bits, 24 URL-safe characters. What the QR carries. */
export const newTicketId = () => randomBytes(18).toString("base64url");

/** 32 random bytes: 256 bits. Only the creating browser ever holds it. */
export const newBindingSecret = () => randomBytes(32).toString("base64url");

/** RFC 8628 §6.1: no vowels (no words), no look-alikes (0/O, 1/I/L). 20^8 ≈ 2^34.6 codes. */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

export function newUserCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");

/** Compares a presented secret with a stored hash in constant time. */
export function matchesHash(secret: string, hash: string): boolean {
  const a = Buffer.from(sha256(secret));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
