import "server-only";
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { and, count, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { accountSettings, accounts, passkeys, recoveryCodes } from "../db/schema";

/**
 * Recovery codes (README "Lost passkey"): ten one-time codes per account,
 * shown once and stored as HMAC-SHA256 under a server key (never the code).
 * A fast keyed hash is enough: a code carries 50 random bits, and without
 * the key (not in the database) a copy of the table cannot be searched.
 */
export const RECOVERY_CODE_COUNT = 10;

/** No 0/O, 1/I: 32 symbols, 5 bits each. */
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const LENGTH = 10;
const CODE = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);

/** A new code as shown: `ABCDE-23456`. */
function newCode(): string {
  let s = "";
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** A code as typed (any case, spaces or dashes) in its one form, or null when it cannot be one. */
export function normalizeCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  return CODE.test(code) ? code : null;
}

export type Recovery =
  | { recovered: true; passkeysRemoved: number; codesLeft: number }
  | { recovered: false };

export class RecoveryCodes {
  private readonly key: Buffer;

  constructor(
    private readonly database: () => Promise<Database>,
    secret: string,
  ) {
    this.key = createHmac("sha256", secret).update("qrl recovery codes v1").digest();
  }

  /** The account's id goes into the hash: one code's hash means nothing under another account. */
  hash(userId: string, code: string): string {
    return createHmac("sha256", this.key).update(`${userId}\n${code}`).digest("hex");
  }

  /** How many unused codes the account has. */
  async remaining(userId: string): Promise<number> {
    const db = await this.database();
    const rows = await db.run((q) =>
      q
        .select({ n: count() })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.accountId, userId), isNull(recoveryCodes.usedAt))),
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * New codes replacing every old one (used or not), in one transaction.
   * `onlyFirst`: only when the account never had any (the first time it
   * requires a passkey); null when it had.
   */
  async issue(userId: string, o: { onlyFirst?: boolean } = {}): Promise<string[] | null> {
    const db = await this.database();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
    return db.run((q) =>
      q.transaction(async (tx) => {
        // The account's row locked: two issues for one account take turns.
        const account = await tx
          .select({ id: accounts.id })
          .from(accounts)
          .where(eq(accounts.id, userId))
          .for("update");
        if (account.length === 0) return null;
        if (o.onlyFirst) {
          const had = await tx
            .select({ id: recoveryCodes.id })
            .from(recoveryCodes)
            .where(eq(recoveryCodes.accountId, userId))
            .limit(1);
          if (had.length > 0) return null;
        }
        await tx.delete(recoveryCodes).where(eq(recoveryCodes.accountId, userId));
        await tx.insert(recoveryCodes).values(
          codes.map((code) => ({
            id: randomBytes(12).toString("base64url"),
            accountId: userId,
            codeHash: this.hash(userId, normalizeCode(code) as string),
          })),
        );
        return codes;
      }),
    );
  }

  /**
   * Uses one code: marks it used only if it is unused (one UPDATE: two
   * requests with one code cannot both get it) and, in the same transaction,
   * lifts the passkey requirement — the account's passkeys are removed (the
   * lost one among them) and the setting turned off. `{recovered: false}`
   * when the code is not one of the account's unused codes.
   */
  async recover(userId: string, typed: string): Promise<Recovery> {
    const code = normalizeCode(typed);
    if (!code) return { recovered: false };
    const codeHash = this.hash(userId, code);
    const db = await this.database();
    return db.run((q) =>
      q.transaction(async (tx) => {
        const used = await tx
          .update(recoveryCodes)
          .set({ usedAt: new Date() })
          .where(
            and(
              eq(recoveryCodes.accountId, userId),
              eq(recoveryCodes.codeHash, codeHash),
              isNull(recoveryCodes.usedAt),
            ),
          )
          .returning({ id: recoveryCodes.id });
        if (used.length === 0) return { recovered: false } as const;
        const removed = await tx
          .delete(passkeys)
          .where(eq(passkeys.accountId, userId))
          .returning({ id: passkeys.id });
        const updatedAt = new Date();
        await tx
          .insert(accountSettings)
          .values({ accountId: userId, passkeyRequired: false, updatedAt })
          .onConflictDoUpdate({
            target: accountSettings.accountId,
            set: { passkeyRequired: false, updatedAt },
          });
        const left = await tx
          .select({ n: count() })
          .from(recoveryCodes)
          .where(and(eq(recoveryCodes.accountId, userId), isNull(recoveryCodes.usedAt)));
        return {
          recovered: true,
          passkeysRemoved: removed.length,
          codesLeft: left[0]?.n ?? 0,
        } as const;
      }),
    );
  }
}
