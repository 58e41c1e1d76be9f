import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForPort } from "./redis-server";

/** Debian's PostgreSQL 15 (apt-get install -y postgresql; scripts/test.sh installs it). */
const BIN = "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  port: number;
  /** postgres://qrl@127.0.0.1:PORT/<database>; `qrl` is the superuser, trusted on loopback. */
  url(database?: string): string;
  /** Stops the server (immediate: an outage); its data stays for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port, with its data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  remove(): Promise<void>;
}

/**
 * A real PostgreSQL owned by the test run: initdb into a temp folder (as the
 * postgres user when run as root: initdb refuses root), pg_ctl on a free
 * loopback port, no fsync (test data need not survive a power cut).
 */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "qrl-pg-"));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", `${BIN}/${cmd}`, ...args], {
          stdio: "pipe",
        })
      : execFileSync(`${BIN}/${cmd}`, args, { stdio: "pipe" });
  if (root) {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString());
    chownSync(dir, id("-u"), id("-g"));
  }
  // pg_stat_statements: tests count the statements a flow runs (tests/api/database-reads.test.ts).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_preload_libraries=pg_stat_statements`;
  const start = async () => {
    run("pg_ctl", ["-D", `${dir}/data`, "-o", options, "-l", `${dir}/log`, "-w", "start"]);
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    run("pg_ctl", ["-D", `${dir}/data`, "-m", "immediate", "-w", "stop"]);
  };
  try {
    run("initdb", ["-D", `${dir}/data`, "-A", "trust", "-U", "qrl", "--no-sync"]);
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(
      `cannot start PostgreSQL from ${BIN} (apt-get install -y postgresql): ${detail}`,
    );
  }
  return {
    port,
    url: (database = "postgres") => `postgres://qrl@127.0.0.1:${port}/${database}`,
    stop,
    start,
    async remove() {
      try {
        await stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
