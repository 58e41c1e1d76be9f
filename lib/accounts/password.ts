import "server-only";
import { hash, parseOptions, verify } from "@node-rs/argon2";
import bcrypt from "bcryptjs";

/** OWASP's argon2id parameters (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
// @node-rs/argon2's Algorithm is a const enum (not importable with isolatedModules): 2 = Argon2id.
const ARGON2ID = 2;

/** An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of the NFKC form of the password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize("NFKC"), { ...ARGON2_PARAMS, algorithm: ARGON2ID });
}

export interface Verdict {
  ok: boolean;
  /** Right password, but the stored hash is not argon2id at today's parameters: store a new one. */
  rehash: boolean;
}

/**
 * Checks a password against a stored hash: argon2id/argon2i/argon2d PHC
 * strings (ours or imported) and imported bcrypt (`$2a$`, `$2b$`, `$2y$`).
 * Imported hashes may have been made from the password as typed; ours from
 * its NFKC form (so a password typed on another keyboard still matches).
 * Anything else never matches.
 */
export async function checkPassword(password: string, stored: string): Promise<Verdict> {
  const normal = password.normalize("NFKC");
  const forms = normal === password ? [normal] : [normal, password];
  if (/^\$argon2(id|i|d)\$/.test(stored)) {
    for (const form of forms) {
      if (await verify(stored, form).catch(() => false)) {
        return { ok: true, rehash: form !== normal || !current(stored) };
      }
    }
    return { ok: false, rehash: false };
  }
  if (/^\$2[aby]\$\d\d\$/.test(stored)) {
    for (const form of forms) {
      if (await bcrypt.compare(form, stored).catch(() => false)) return { ok: true, rehash: true };
    }
    return { ok: false, rehash: false };
  }
  return { ok: false, rehash: false };
}

/** Whether a stored hash is argon2id at today's parameters. */
function current(stored: string): boolean {
  if (!stored.startsWith("$argon2id$")) return false;
  const o = parseOptions(stored);
  return (
    o.memoryCost === ARGON2_PARAMS.memoryCost &&
    o.timeCost === ARGON2_PARAMS.timeCost &&
    o.parallelism === ARGON2_PARAMS.parallelism
  );
}

/** Whether `stored` is a hash this module can check (for imports). */
export function isSupportedHash(stored: string): boolean {
  return (
    /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$/.test(stored) ||
    /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(stored)
  );
}

/**
 * A hash of a random password, made once: an unknown username is checked
 * against it, so it costs the same hash time as a known one and timing does
 * not tell which usernames exist.
 */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}
