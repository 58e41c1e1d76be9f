import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, waitForPort } from "./redis-server";

/** The repository's sample configuration, run as it is (tests/topology/). */
export const NGINX_CONF = resolve(import.meta.dirname, "../../deploy/nginx.conf");

export interface Nginx {
  port: number;
  url: string;
  /** The access log (deploy/nginx.conf's `upstream` format: which instance answered). */
  accessLog(): Promise<string>;
  /** nginx's stderr and error log. */
  errors(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Debian's nginx in the foreground on a free loopback port, with
 * deploy/nginx.conf itself: the configuration is a symlink in a fresh prefix
 * directory, so the two site files it includes (the instances, the listen
 * address) are read from beside it, and its pid, logs, temp files and cache
 * stay in that directory.
 */
export async function startNginx(instancePorts: number[]): Promise<Nginx> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "qrl-nginx-"));
  // nginx's workers drop root for `nobody`: they must reach the temp and cache folders.
  await chmod(dir, 0o755);
  await Promise.all(["logs", "temp", "cache"].map((d) => mkdir(join(dir, d))));
  await symlink(NGINX_CONF, join(dir, "nginx.conf"));
  await writeFile(
    join(dir, "qr-login-upstream.conf"),
    // A short fail_timeout: a restarted instance gets requests again within 2 s.
    instancePorts.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;\n`).join(""),
  );
  await writeFile(join(dir, "qr-login-listen.conf"), `listen 127.0.0.1:${port};\n`);

  let stderr = "";
  const child: ChildProcess = spawn(
    "nginx",
    ["-p", `${dir}/`, "-e", "stderr", "-c", join(dir, "nginx.conf"), "-g", "daemon off;"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.once("error", (error) => {
    stderr += `cannot run nginx (install it: apt-get install -y nginx): ${error.message}`;
  });
  try {
    await waitForPort(port, 10_000, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`nginx did not start: ${String(error)}\n${stderr}`);
  }
  const read = (file: string) => readFile(join(dir, "logs", file), "utf8").catch(() => "");
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    accessLog: () => read("access.log"),
    errors: async () => `${stderr}${await read("error.log")}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
