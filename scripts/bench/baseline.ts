import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type AppServer, SHARED_SECRET, TEST_USERS } from "../../tests/support/app-server";
import { freePort } from "../../tests/support/redis-server";

/**
 * `--baseline=<dir>`: the previous build, measured in the same run as this
 * one. <dir> is a checkout of the previous version with node_modules and its
 * own `npm run build` in <dir>/.next, e.g.
 *
 *   git worktree add /tmp/prev HEAD && ln -s "$PWD/node_modules" /tmp/prev/
 *   (cd /tmp/prev && env -u NEXT_DIST_DIR npm run build)
 *   npm run bench -- --baseline=/tmp/prev
 *
 * (Linking node_modules runs the previous code on today's dependencies; when
 * package-lock.json changed in between, `npm ci` there instead.)
 *
 * Its server.mjs runs with <dir> as working directory (Next.js finds its build
 * there) and the settings tests/support/app-server.ts gives this build's.
 */

export interface Baseline {
  /** Absolute path of the checkout. */
  dir: string;
  /** Its commit, when it is a git checkout. */
  commit?: string;
}

/** Checks that the previous build can start, before anything runs; throws a one-line reason. */
export function checkBaseline(dir: string): Baseline {
  const root = resolve(dir);
  // .next/qrl is the second half of `npm run build` (server.mjs's bundle); BUILD_ID, the first.
  const needed = ["server.mjs", "node_modules", ".next/BUILD_ID", ".next/qrl"];
  const missing = needed.filter((f) => !existsSync(join(root, f)));
  if (missing.length) {
    throw new Error(
      `--baseline=${dir}: no ${missing.join(", ")} there (a checkout with node_modules, after \`npm run build\` in it)`,
    );
  }
  try {
    const commit = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return { dir: root, commit };
  } catch {
    return { dir: root }; // not a git checkout (a copy): the folder names it
  }
}

/** Starts `node server.mjs` in the previous build's checkout, like startApp does here. */
export async function startBaselineApp(
  dir: string,
  env: Record<string, string>,
): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, ["server.mjs"], {
    cwd: dir,
    // NEXT_DIST_DIR is left out: the previous build is in <dir>/.next.
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      NEXTAUTH_SECRET: SHARED_SECRET,
      NEXTAUTH_URL: url,
      QRL_DEMO_USERS: TEST_USERS,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`previous build's server exited (${child.exitCode}):\n${output}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`previous build's server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, output: () => output, exitCode: () => child.exitCode, stop };
}
