import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { freePort } from "./redis-server";

export interface AppServer {
  url: string;
  port: number;
  /** Everything the server printed (JSON log lines), for assertions on logs. */
  output(): string;
  /** The exit code once the process has exited, else null. */
  exitCode(): number | null;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/** Like a real deployment, every instance of one test run shares the secret. */
export const SHARED_SECRET = randomBytes(32).toString("base64url");

export const TEST_USERS =
  "alice:wonderland:Alice Liddell,bob:builder:Bob Martin,carol:carol-pass:Carol";

/**
 * Starts the production build (`next build` must have run) through server.mjs
 * on loopback, and waits until it answers. `env` adds to or overrides the
 * defaults (Redis URL, short TTLs, ...).
 */
export async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
  // A caller that must know the port before start (e.g. for PUBLIC_URL) passes PORT.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["server.mjs"], {
    env: {
      PATH: process.env.PATH ?? "",
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      NEXTAUTH_SECRET: SHARED_SECRET,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      QRL_DEMO_USERS: TEST_USERS,
      // Suites create many tickets from 127.0.0.1; the rate-limit suite sets its own limits.
      QRL_RATE_CREATE_PER_MIN: "10000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      // Ready means the store answers too: the first request must not race the Redis connection.
      if (res.status === 200) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    output: () => output,
    exitCode: () => child.exitCode,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
