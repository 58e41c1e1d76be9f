// `npm run users -- <command>`: the accounts, for operators, against
// DATABASE_URL or the embedded database in QRL_DATA_DIR (stop the server
// first: the embedded database serves one process).
//
//   add USERNAME [--name "Display Name"]   password from stdin (one line) or a prompt
//   list
//   disable USERNAME | enable USERNAME
//   reset-password USERNAME                new password from stdin or a prompt
//   delete USERNAME                        the account and its passkeys and settings (with
//                                          Redis: its keys there too, and account.deleted)
//   import FILE.csv                        accounts from a CSV file with a header row:
//                                          username,display_name,password_hash (argon2 PHC
//                                          or bcrypt) or password; one line, one account
//
// disable, reset-password and delete also sign the account's sessions out on
// every instance when the server's Redis settings are in the environment
// (REDIS_URL or the Cluster/Sentinel ones, with the server's other settings).
//
// Passwords are never taken from the command line (other users see it in `ps`).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { type ImportOutcome, importAccounts } from "@/lib/accounts/import-csv";
import { AccountStore } from "@/lib/accounts/store";
import { openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseEnv, env, oidcClientsEnv } from "@/lib/env";
import { parseClients } from "@/lib/oidc/clients";
import { redis } from "@/lib/redis";
import { registry } from "@/lib/registry";

const USAGE = `usage: npm run users -- add USERNAME [--name "Display Name"] | list | disable USERNAME | enable USERNAME | reset-password USERNAME | delete USERNAME | import FILE.csv | clients
(passwords are read from stdin, one line, or asked for)`;

class UsageError extends Error {}

async function readPassword(prompt: string): Promise<string> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stderr,
    terminal: process.stdin.isTTY,
  });
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const line = await new Promise<string>((resolve) => {
    rl.once("line", resolve);
    rl.once("close", () => resolve(""));
  });
  rl.close();
  if (!line) throw new UsageError("no password given (type it, or pipe it on stdin)");
  return line;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Signs every session of the account out (they live in Redis, with the server's settings). */
async function endSessions(
  userId: string,
  /** Run once the sessions are signed out (with the server's Redis). */
  then?: (signedOut: number) => Promise<void>,
): Promise<string> {
  let store: string;
  try {
    store = env().store;
  } catch (error) {
    return `; sessions not signed out (${error instanceof Error ? error.message : error})`;
  }
  if (store !== "redis") {
    return "; sessions not signed out: no Redis configured (the embedded store's sessions end with its server)";
  }
  try {
    return await signOutEverywhere(userId, then);
  } catch (error) {
    // The account change stands; the sessions are for another try.
    process.exitCode = 1;
    return `; sessions NOT signed out (${error instanceof Error ? error.message : error}): run the command again once Redis answers`;
  }
}

/** The client fails fast while it connects (no offline queue): wait until it is ready. */
async function redisReady() {
  const client = redis();
  if (client && client.status !== "ready") {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("Redis did not answer within 5 s")), 5000);
      client.once("ready", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
}

/**
 * What apps hold through the OpenID Provider for the account: its grants and
 * refresh tokens (database) and, with the server's Redis, the access tokens
 * and codes issued under them, ended.
 */
async function endAppGrants(userId: string): Promise<string> {
  if (parseClients(oidcClientsEnv()).length === 0) return "";
  const { revokeAccountRecords } = await import("@/lib/oidc/adapter");
  try {
    const withStore = env().store === "redis";
    if (withStore) await redisReady();
    const n = await revokeAccountRecords(userId, { withStore });
    return n > 0 ? `; ${n} app grant${n === 1 ? "" : "s"} revoked` : "";
  } catch (error) {
    process.exitCode = 1;
    return `; app grants NOT revoked (${error instanceof Error ? error.message : error}): run the command again`;
  }
}

async function signOutEverywhere(
  userId: string,
  then?: (signedOut: number) => Promise<void>,
): Promise<string> {
  await redisReady();
  // Apps signed in through the OpenID Provider from these sessions get a back-channel logout
  // token, as when the server signs them out (lib/oidc/logout.ts; S81).
  if (parseClients(oidcClientsEnv()).length > 0) {
    const { endProviderSessions } = await import("@/lib/oidc/logout");
    registry().onSignedOut = endProviderSessions;
  }
  const { signOutAllOthers } = await import("@/lib/sessions/sign-out");
  const n = await signOutAllOthers(userId, "", "admin-command");
  await then?.(n);
  return `; ${n} session${n === 1 ? "" : "s"} signed out`;
}

async function run(store: AccountStore, [command, username, ...rest]: string[]): Promise<string> {
  const needName = () => {
    if (!username) throw new UsageError(`${command}: which username?`);
    return username;
  };
  const found = (ok: boolean, done: string) => {
    if (!ok) throw new UsageError(`no account ${username}`);
    return done;
  };
  switch (command) {
    case "add": {
      const name = needName();
      const displayName = option(rest, "--name");
      const password = await readPassword(`Password for ${name}: `);
      const account = await store.create({
        username: name,
        password,
        ...(displayName ? { displayName } : {}),
      });
      return `added ${account.username} (${account.displayName}), id ${account.id}`;
    }
    case "list": {
      const all = await store.list();
      if (all.length === 0) return "no accounts";
      return all
        .map(
          (a) =>
            `${a.username}\t${a.displayName}\t${a.disabled ? "disabled" : "active"}\t${a.createdAt.toISOString()}`,
        )
        .join("\n");
    }
    case "disable": {
      const ok = await store.setDisabled(needName(), true);
      const account = ok ? await store.find(needName()) : null;
      const ended = account ? await endSessions(account.id) : "";
      const apps = account ? await endAppGrants(account.id) : "";
      return found(ok, `disabled ${username}${ended}${apps}`);
    }
    case "enable":
      return found(await store.setDisabled(needName(), false), `enabled ${username}`);
    case "reset-password": {
      const name = needName();
      const account = await store.find(name);
      if (!account) throw new UsageError(`no account ${name}`);
      const password = await readPassword(`New password for ${name}: `);
      const ok = await store.setPassword(name, password);
      return found(ok, `password reset for ${name}${await endSessions(account.id)}`);
    }
    case "delete": {
      const account = await store.find(needName());
      const apps = account ? await endAppGrants(account.id) : "";
      const removed = account ? await store.remove(account.id) : null;
      if (!account || !removed) throw new UsageError(`no account ${username}`);
      // With Redis: its sessions signed out, then what Redis keeps of it, then account.deleted.
      const ended = await endSessions(account.id, async (signedOut) => {
        const { eraseAccountKeys } = await import("@/lib/auth/erase-account");
        const { emitAccountDeleted } = await import("@/lib/webhooks");
        await eraseAccountKeys(account.id, removed.passkeyIds, []);
        emitAccountDeleted({ id: account.id, username: account.username, signedOut, by: "admin" });
      });
      return `deleted ${account.username}${ended}${apps}`;
    }
    case "import":
      return importFile(store, needName());
    default:
      throw new UsageError(USAGE);
  }
}

/** The apps declared in OIDC_CLIENTS (README "Use it from any app"), one line each; never a secret. */
function listClients(): string {
  const clients = parseClients(oidcClientsEnv());
  if (clients.length === 0) return "no OpenID Connect clients (OIDC_CLIENTS is unset)";
  return clients
    .map((c) =>
      [
        c.client_id,
        c.client_name ?? c.client_id,
        c.public ? "public" : "confidential",
        c.first_party ? "first-party" : "asks consent",
        c.redirect_uris.join(" ") || "(device grant only)",
        c.backchannel_logout_uri ? `back-channel ${c.backchannel_logout_uri}` : "",
      ]
        .filter(Boolean)
        .join("\t"),
    )
    .join("\n");
}

/**
 * `import FILE.csv`: one line per account, each added, skipped (the username
 * exists) or refused (why), printed as it is done; then the totals. Exit
 * code 1 when a line was refused.
 */
async function importFile(store: AccountStore, path: string): Promise<string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let outcomes: ImportOutcome[];
  try {
    outcomes = await importAccounts(store, text, (o) => console.log(importLine(o)));
  } catch (error) {
    if ((error as Error)?.name === "ImportError") throw new UsageError((error as Error).message);
    throw error;
  }
  const count = (kind: ImportOutcome["outcome"]) =>
    outcomes.filter((o) => o.outcome === kind).length;
  if (count("refused") > 0) process.exitCode = 1;
  return `${count("added")} added, ${count("skipped")} skipped, ${count("refused")} refused`;
}

function importLine(o: ImportOutcome): string {
  if (o.outcome === "added") return `line ${o.line}: added ${o.username} (${o.displayName})`;
  if (o.outcome === "skipped") return `line ${o.line}: skipped ${o.username} (exists)`;
  return `line ${o.line}: refused (${o.reason})`;
}

async function main() {
  if (process.argv[2] === "clients") {
    console.log(listClients());
    return;
  }
  const settings = databaseEnv();
  const database = await openDatabase(settings);
  try {
    await migrate(database, settings);
    const store = new AccountStore(database);
    // The code this command shares with the server finds the same accounts (one database handle).
    registry().accounts = Promise.resolve(store);
    console.log(await run(store, process.argv.slice(2)));
  } finally {
    await database.close();
    // The Redis connections endSessions opened, if any (webhooks queued first).
    await registry()
      .webhooks?.close()
      .catch(() => {});
    const client = registry().redis;
    // quit() waits for a reconnecting client for ever; one that never connected is just dropped.
    if (client?.status === "ready") await client.quit().catch(() => {});
    else client?.disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError || error?.name === "AccountError" ? 2 : 1);
});
