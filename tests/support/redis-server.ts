import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** Waits until something accepts connections on the loopback port (or `gaveUp` says stop). */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port} within ${timeoutMs} ms`);
}

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGKILL: an outage, not a shutdown); data is lost. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

/**
 * A real redis-server owned by the test run: loopback, a free port, no
 * persistence, its own folder in the OS's temporary directory (a replica's
 * full sync and a cluster's node file are written there, never into the
 * working tree). Tests may stop and restart it to test faults.
 */
export async function startRedis(port?: number, extraArgs: string[] = []): Promise<RedisServer> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "qrl-redis-"));
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    async start() {
      child = spawn(
        "redis-server",
        [
          "--port",
          String(p),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no",
          "--dir",
          dir,
          ...extraArgs,
        ],
        { stdio: "ignore" },
      );
      child.once("error", (error) => {
        throw new Error(
          `cannot run redis-server (install it: apt-get install -y redis-server): ${error.message}`,
        );
      });
      await waitForPort(p, 10_000);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once("exit", () => resolve());
        c.kill("SIGKILL");
      });
    },
  };
  await server.start();
  return server;
}
