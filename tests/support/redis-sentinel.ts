import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, type RedisServer, startRedis, waitForPort } from "./redis-server";

const run = promisify(execFile);

export const SENTINEL_NAME = "qrl-primary";

export interface RedisSentinelSet {
  /** `host:port,…` of the three Sentinels (REDIS_SENTINELS). */
  sentinels: string;
  name: string;
  primaryPort(): Promise<number>;
  /** SIGKILLs the current primary; resolves once the Sentinels name another one. */
  killPrimary(): Promise<{ from: number; to: number }>;
  stop(): Promise<void>;
}

const cli = async (port: number, ...args: string[]) =>
  (await run("redis-cli", ["-p", String(port), ...args])).stdout;

/** Polls `check` until it holds: a condition, not a sleep. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A Sentinel-managed Redis of real processes on loopback: a primary, one
 * replica, three Sentinels (quorum 2) with a short down-after, as Debian's
 * `redis-server --sentinel` runs them.
 */
export async function startRedisSentinel(): Promise<RedisSentinelSet> {
  const primary = await startRedis();
  const replica = await startRedis(undefined, ["--replicaof", "127.0.0.1", String(primary.port)]);
  const servers: Record<number, RedisServer> = {
    [primary.port]: primary,
    [replica.port]: replica,
  };
  await until("the replica to sync", async () =>
    (await cli(replica.port, "info", "replication")).includes("master_link_status:up"),
  );

  const dir = await mkdtemp(join(tmpdir(), "qrl-sentinel-"));
  const sentinels: { port: number; child: ChildProcess }[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${i}.conf`);
    await writeFile(
      conf,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary.port} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 10000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        "",
      ].join("\n"),
    );
    const child = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
    sentinels.push({ port, child });
    await waitForPort(port, 10_000);
  }
  // Ready means every Sentinel knows the replica and the two other Sentinels.
  await until("the Sentinels to find each other and the replica", async () => {
    const views = await Promise.all(
      sentinels.map((s) => cli(s.port, "sentinel", "master", SENTINEL_NAME)),
    );
    return views.every((v) => /num-other-sentinels\n2\n/.test(v) && /num-slaves\n1\n/.test(v));
  });

  const primaryPort = async () => {
    const reply = await cli(
      sentinels[0]?.port ?? 0,
      "sentinel",
      "get-master-addr-by-name",
      SENTINEL_NAME,
    );
    return Number(reply.trim().split("\n")[1]);
  };

  return {
    sentinels: sentinels.map((s) => `127.0.0.1:${s.port}`).join(","),
    name: SENTINEL_NAME,
    primaryPort,
    async killPrimary() {
      const from = await primaryPort();
      await servers[from]?.stop();
      let to = from;
      await until("a Sentinel failover", async () => {
        const named = await Promise.all(
          sentinels.map(async (s) =>
            Number(
              (await cli(s.port, "sentinel", "get-master-addr-by-name", SENTINEL_NAME))
                .trim()
                .split("\n")[1],
            ),
          ),
        );
        to = named[0] ?? from;
        return named.every((p) => p === to && p !== from);
      });
      return { from, to };
    },
    async stop() {
      await Promise.all(
        sentinels.map(
          (s) =>
            new Promise<void>((done) => {
              if (s.child.exitCode !== null || s.child.signalCode !== null) return done();
              s.child.once("exit", () => done());
              s.child.kill("SIGKILL");
            }),
        ),
      );
      await Promise.all(Object.values(servers).map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
