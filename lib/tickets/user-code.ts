import "server-only";
import { USER_CODE_ALPHABET } from "./ids";

/**
 * Typed characters that can only have meant one letter of the alphabet
 * (BCDFGHJKLMNPQRSTVWXZ): digits and letters that look like it. `0` and `O`
 * are not forgiven: they could be D or Q just as well, and a wrong guess
 * would cost the person a lookup. Vowels and other letters are refused too.
 */
const LOOK_ALIKES: Record<string, string> = {
  "1": "L",
  I: "L",
  "|": "L",
  "2": "Z",
  "5": "S",
  "8": "B",
};

/** Separators people type or paste between the groups. */
const SEPARATORS = /[\s\-‐‑‒–—_.·]/g;

export type UserCodeResult = { ok: true; code: string } | { ok: false; reason: string };

/**
 * What a person typed, as the stored `XXXX-XXXX` form: NFKC (full-width
 * letters become ASCII), upper case, separators dropped, look-alikes mapped.
 * Anything else is refused, with the reason, before it can cost a lookup.
 */
export function normalizeUserCode(typed: string): UserCodeResult {
  const compact = typed.normalize("NFKC").toUpperCase().replace(SEPARATORS, "");
  const letters = [...compact].map((c) => LOOK_ALIKES[c] ?? c).join("");
  if (letters.length !== 8) {
    return { ok: false, reason: "a code has 8 letters, like BDWP-QHLT" };
  }
  const wrong = [...letters].find((c) => !USER_CODE_ALPHABET.includes(c));
  if (wrong !== undefined) {
    return {
      ok: false,
      reason: "codes use only the letters BCDFGHJKLMNPQRSTVWXZ (no vowels, no 0 or O)",
    };
  }
  return { ok: true, code: `${letters.slice(0, 4)}-${letters.slice(4)}` };
}
