// `npm run users -- <command>`: the accounts, for operators, against
// DATABASE_URL or the embedded database in QRL_DATA_DIR (stop the server
// first: the embedded database serves one process).
//
//   add USERNAME [--name "Display Name"]   password from stdin (one line) or a prompt
//   list
//   disable USERNAME | enable USERNAME
//   reset-password USERNAME                new password from stdin or a prompt
//   delete USERNAME                        the account and its passkeys and settings
//
// Passwords are never taken from the command line (other users see it in `ps`).
import { createInterface } from "node:readline";
import { AccountStore } from "@/lib/accounts/store";
import { openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseEnv } from "@/lib/env";

const USAGE = `usage: npm run users -- add USERNAME [--name "Display Name"] | list | disable USERNAME | enable USERNAME | reset-password USERNAME | delete USERNAME
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
    case "disable":
      return found(await store.setDisabled(needName(), true), `disabled ${username}`);
    case "enable":
      return found(await store.setDisabled(needName(), false), `enabled ${username}`);
    case "reset-password": {
      const name = needName();
      if (!(await store.find(name))) throw new UsageError(`no account ${name}`);
      const password = await readPassword(`New password for ${name}: `);
      return found(await store.setPassword(name, password), `password reset for ${name}`);
    }
    case "delete":
      return found(await store.delete(needName()), `deleted ${username}`);
    default:
      throw new UsageError(USAGE);
  }
}

async function main() {
  const settings = databaseEnv();
  const database = await openDatabase(settings);
  try {
    await migrate(database, settings);
    console.log(await run(new AccountStore(database), process.argv.slice(2)));
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError || error?.name === "AccountError" ? 2 : 1);
});
