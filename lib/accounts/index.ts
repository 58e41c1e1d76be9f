import "server-only";
import { openDatabase } from "../db/client";
import { migrate } from "../db/migrate";
import { env } from "../env";
import { logger } from "../log";
import { registry } from "../registry";
import { dummyHash } from "./password";
import { RecoveryCodes } from "./recovery-codes";
import { seedDemoUsers } from "./seed";
import { AccountStore } from "./store";

export type { Account } from "./store";
export { AccountError, AccountStore } from "./store";

/**
 * The process's account store: the database opened (PostgreSQL at
 * DATABASE_URL, else PGlite in QRL_DATA_DIR), migrated, and the demo users
 * (QRL_DEMO_USERS) created. One per process, in the registry, so every
 * bundle shares one pool (and PGlite's folder is opened once). A failure is
 * not kept: the next call tries again (the database may come back).
 */
export function accounts(): Promise<AccountStore> {
  const r = registry();
  if (!r.accounts) {
    r.accounts = open();
    r.accounts.catch(() => {
      r.accounts = undefined;
    });
  }
  return r.accounts;
}

/** Closes the database at shutdown (PGlite releases its folder), if it was opened. */
export async function closeAccounts(): Promise<void> {
  const opened = registry().accounts;
  registry().accounts = undefined;
  if (opened) await (await opened.catch(() => null))?.close();
}

async function open(): Promise<AccountStore> {
  const e = env();
  const log = logger();
  const database = await openDatabase(e.database);
  try {
    await migrate(database, e.database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const store = new AccountStore(database, (err) =>
    log.warn({ err }, "password re-hash not stored; the next sign-in tries again"),
  );
  // Made now, not at the first unknown username (which would then cost two hashes).
  await dummyHash();
  const seeded = e.demoUsers ? await seedDemoUsers(store, e.demoUsers) : [];
  log.info(
    { database: database.kind, seeded },
    `Database: ${database.where}${seeded.length ? ` (demo users created: ${seeded.join(", ")})` : ""}`,
  );
  if (e.production && (await store.count()) === 0) {
    log.warn(
      'no account yet: add the first with `npm run users -- add USERNAME --name "Display Name"` (same DATABASE_URL or QRL_DATA_DIR)',
    );
  }
  return store;
}

/** The recovery codes of the accounts in the process's database. */
export const recoveryCodes = (): RecoveryCodes =>
  new RecoveryCodes(async () => (await accounts()).database, env().recoverySecret);
