import "server-only";
import { randomUUID } from "node:crypto";
import { asc, count, eq, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { accounts, passkeys } from "../db/schema";
import { normalizeUsername } from "../users/username";
import { checkPassword, dummyHash, hashPassword, isSupportedHash } from "./password";

/** An account as the app sees it: never its password hash. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewAccount {
  username: string;
  displayName?: string;
  /** One of the two: a password (hashed here) or a hash imported from another system. */
  password?: string;
  passwordHash?: string;
  /** Default: a random UUID. The seeded demo accounts keep `demo-<username>`. */
  id?: string;
}

const USERNAME = /^[\p{L}\p{N}._@+-]{1,64}$/u;

/**
 * The accounts in the database (PostgreSQL or PGlite alike). Every query runs
 * under the store deadline (a stalled database is a 503 in time); password
 * hashing runs outside it.
 */
export class AccountStore {
  constructor(
    readonly database: Database,
    private readonly onRehashFailed: (error: unknown) => void = () => {},
  ) {}

  /** Closes the pool, or PGlite and its folder. */
  close(): Promise<void> {
    return this.database.close();
  }

  /** Creates an account; AccountError when the username is taken or malformed. */
  async create(input: NewAccount): Promise<Account> {
    const username = normalizeUsername(input.username);
    if (!USERNAME.test(username)) {
      throw new AccountError(
        `"${input.username}" is not a valid username: 1–64 letters, digits and . _ @ + -`,
      );
    }
    const displayName = checkDisplayName((input.displayName ?? "").trim() || capitalise(username));
    let passwordHash: string;
    if (input.passwordHash !== undefined) {
      if (!isSupportedHash(input.passwordHash)) {
        throw new AccountError(`${username}: the password hash is neither argon2 nor bcrypt`);
      }
      passwordHash = input.passwordHash;
    } else if (input.password) {
      passwordHash = await hashPassword(input.password);
    } else {
      throw new AccountError(`${username}: a password is required`);
    }
    const id = input.id ?? randomUUID();
    const rows = await this.database.run((db) =>
      db
        .insert(accounts)
        .values({ id, username, displayName, passwordHash })
        .onConflictDoNothing()
        .returning(),
    );
    const row = rows[0];
    if (!row) throw new AccountError(`The username ${username} is taken`, "exists");
    return toAccount(row);
  }

  async get(id: string): Promise<Account | null> {
    const rows = await this.database.run((db) =>
      db.select().from(accounts).where(eq(accounts.id, id)).limit(1),
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  /** By the username as typed (any spelling normalizeUsername folds together). */
  async find(username: string): Promise<Account | null> {
    const row = await this.row(username);
    return row ? toAccount(row) : null;
  }

  async list(): Promise<Account[]> {
    const rows = await this.database.run((db) =>
      db.select().from(accounts).orderBy(asc(accounts.username)),
    );
    return rows.map(toAccount);
  }

  async count(): Promise<number> {
    const rows = await this.database.run((db) => db.select({ n: count() }).from(accounts));
    return rows[0]?.n ?? 0;
  }

  /** false when there is no such account. */
  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    return this.update(username, { disabled });
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    return this.update(username, { passwordHash: await hashPassword(password) });
  }

  /** A new display name (trimmed; AccountError when empty or unprintable); false when no such account. */
  async rename(id: string, displayName: string): Promise<boolean> {
    const name = checkDisplayName(displayName.trim());
    if (!name) throw new AccountError("The display name must not be empty");
    return this.updateWhere(eq(accounts.id, id), { displayName: name });
  }

  /** A new password for the account with this id; false when there is none. */
  async setPasswordOf(id: string, password: string): Promise<boolean> {
    return this.updateWhere(eq(accounts.id, id), { passwordHash: await hashPassword(password) });
  }

  /**
   * Deletes the account by id with every row of it (ON DELETE CASCADE), in
   * one transaction that first reads its passkeys' credential ids (the
   * caller clears what Redis keeps under them). null when there was none.
   */
  async remove(id: string): Promise<{ passkeyIds: string[] } | null> {
    return this.database.run((db) =>
      db.transaction(async (tx) => {
        const keys = await tx
          .select({ id: passkeys.id })
          .from(passkeys)
          .where(eq(passkeys.accountId, id));
        const rows = await tx
          .delete(accounts)
          .where(eq(accounts.id, id))
          .returning({ id: accounts.id });
        return rows.length > 0 ? { passkeyIds: keys.map((k) => k.id) } : null;
      }),
    );
  }

  async delete(username: string): Promise<boolean> {
    const rows = await this.database.run((db) =>
      db
        .delete(accounts)
        .where(eq(accounts.username, normalizeUsername(username)))
        .returning({ id: accounts.id }),
    );
    return rows.length > 0;
  }

  /**
   * The account when the password is right (disabled or not: the caller
   * refuses a disabled one in words), null for a wrong password or an unknown
   * username alike. An unknown username is checked against a dummy hash so it
   * costs the same time. A right password under an old or imported hash is
   * re-hashed with today's argon2id parameters.
   */
  async verify(username: string, password: string): Promise<Account | null> {
    const row = await this.row(username);
    const verdict = await checkPassword(password, row?.passwordHash ?? (await dummyHash()));
    if (!row || !verdict.ok) return null;
    if (verdict.rehash) {
      // The sign-in stands without it: the next sign-in tries again.
      const passwordHash = await hashPassword(password);
      await this.database
        .run((db) =>
          db
            .update(accounts)
            .set({ passwordHash, updatedAt: new Date() })
            .where(eq(accounts.id, row.id)),
        )
        .catch(this.onRehashFailed);
    }
    return toAccount(row);
  }

  private async row(username: string) {
    const normal = normalizeUsername(username);
    // No account has such a name; and PostgreSQL refuses some (a NUL byte) as an error, not a miss.
    if (!USERNAME.test(normal)) return undefined;
    const rows = await this.database.run((db) =>
      db.select().from(accounts).where(eq(accounts.username, normal)).limit(1),
    );
    return rows[0];
  }

  private update(username: string, values: Partial<typeof accounts.$inferInsert>) {
    return this.updateWhere(eq(accounts.username, normalizeUsername(username)), values);
  }

  private async updateWhere(
    where: SQL,
    values: Partial<typeof accounts.$inferInsert>,
  ): Promise<boolean> {
    const rows = await this.database.run((db) =>
      db
        .update(accounts)
        .set({ ...values, updatedAt: new Date() })
        .where(where)
        .returning({ id: accounts.id }),
    );
    return rows.length > 0;
  }
}

/** A refusal with words for the operator (taken username, malformed input). */
export class AccountError extends Error {
  override name = "AccountError";
  constructor(
    message: string,
    readonly reason: "invalid" | "exists" = "invalid",
  ) {
    super(message);
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function checkDisplayName(displayName: string): string {
  if (displayName.length > 100 || /\p{Cc}/u.test(displayName)) {
    throw new AccountError("The display name must be at most 100 printable characters");
  }
  return displayName;
}

function toAccount(row: typeof accounts.$inferSelect): Account {
  const { id, username, displayName, disabled, createdAt, updatedAt } = row;
  return { id, username, displayName, disabled, createdAt, updatedAt };
}
