import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { type AppServer, startApp } from "../../tests/support/app-server";
import { freePort, type RedisServer, startRedis } from "../../tests/support/redis-server";
import { startBaselineApp } from "./baseline";
import { pidListeningOn } from "./proc";

/**
 * What the bench runs against: its own redis-server and production app
 * instances (server.mjs) on free loopback ports, each a separate process.
 * Everything started here is stopped by stopAll(), also on errors and Ctrl-C.
 */

/**
 * Rate limits lifted for load from one IP. QRL_RATE_CREATE_PER_MIN is capped at
 * 100,000 by lib/env.ts (1,000,000 would stop the server at start).
 */
export const BENCH_ENV = {
  QRL_RATE_CREATE_PER_MIN: "100000",
  QRL_RATE_STATUS_PER_MIN: "100000",
  QRL_RATE_SIGNIN_FAILS_PER_IP_DAY: "100000",
  // Every simulated desktop comes from 127.0.0.1.
  QRL_MAX_SOCKETS_PER_IP: "0",
  // One load-generator process plays 10,000 browsers: saturated, it can take longer than
  // the 20-s header timeout to write a request on a socket it opened (a real browser does
  // not). Node's own default (60 s), as the previous build had.
  QRL_HEADERS_TIMEOUT_MS: "60000",
  QRL_MAX_LONG_POLLS_PER_IP: "1000000",
};

export interface App extends AppServer {
  pid: number;
}

const stops: (() => Promise<void>)[] = [];

/** Registers a stop function; returns one that stops and unregisters it. */
export function track(stop: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => {
    done ??= stop();
    return done;
  };
  stops.push(once);
  return once;
}

export async function stopAll(): Promise<void> {
  const pending = stops.splice(0).reverse();
  for (const stop of pending) await stop().catch(() => {});
}

export async function benchRedis(): Promise<RedisServer & { flush(): Promise<void> }> {
  const redis = await startRedis();
  const stop = track(() => redis.stop());
  return {
    ...redis,
    stop,
    /** Empties it between scenarios: tickets, rate-limit counters, tokens. */
    async flush() {
      const client = new Redis(redis.url, { lazyConnect: true });
      await client.connect();
      await client.flushall();
      client.disconnect();
    },
  };
}

/**
 * An app instance of this build, or of the previous build when `baseline`
 * (the checkout given with --baseline) is set.
 */
export async function benchApp(
  redisUrl: string,
  env: Record<string, string> = {},
  baseline?: string,
): Promise<App> {
  const all = { REDIS_URL: redisUrl, ...BENCH_ENV, ...env };
  const app = baseline ? await startBaselineApp(baseline, all) : await startApp(all);
  const stop = track(() => app.stop());
  return { ...app, stop, pid: pidListeningOn(app.port) };
}

/** Appended to a scenario's progress label when it runs on the previous build. */
export const buildLabel = (baseline?: string) => (baseline ? " · previous build" : "");

/** The machine's floor: bare node:http + ioredis doing the status route's Redis read. */
export async function bareServer(
  redisUrl: string,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const script = fileURLToPath(new URL("./bare-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      REDIS_URL: redisUrl,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = track(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("bare server did not start")), 15_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`bare server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid ?? 0, stop };
}
