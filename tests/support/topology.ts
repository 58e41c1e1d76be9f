import { type OwnAppServer, startApp } from "./app-server";
import { freshDatabase } from "./databases";
import { type Nginx, startNginx } from "./nginx";
import { until } from "./redis-sentinel";
import { freePort } from "./redis-server";

/**
 * The production topology of tests/topology/: nginx (deploy/nginx.conf) in
 * front of `instances` app instances (TRUST_PROXY=1, each on a fixed port so
 * a restarted one comes back where nginx expects it), on the store that
 * `storeEnv` names (REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES), all on
 * one PostgreSQL database of their own (several instances share one system
 * of record; the embedded database serves one process).
 */
export interface Stack {
  nginx: Nginx;
  url: string;
  apps: OwnAppServer[];
  /**
   * A rolling restart's step: SIGTERM instance i (it drains), start it again
   * on its port, and return once nginx has passed the new process a request
   * it answered, so the proxy counts it up again before the next instance
   * stops (as an operator's rolling restart waits for a replacement to be
   * in service). Without that wait, the next stop can meet the restarted
   * instance still inside nginx's fail_timeout: both down, nginx's own 503.
   */
  restart(i: number): Promise<void>;
  /** SIGKILL instance i (a crash). */
  kill(i: number): Promise<void>;
  /** Starts instance i again on its port (after kill). */
  start(i: number): Promise<void>;
  /** Requests nginx passed to instance i that it answered, so far. */
  served(i: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startStack(
  storeEnv: Record<string, string>,
  o: { instances?: number; env?: Record<string, string> } = {},
): Promise<Stack> {
  const ports = await Promise.all(Array.from({ length: o.instances ?? 2 }, () => freePort()));
  const nginx = await startNginx(ports);
  const env = {
    DATABASE_URL: await freshDatabase("stack"),
    ...storeEnv,
    TRUST_PROXY: "1",
    NEXTAUTH_URL: nginx.url,
    PUBLIC_URL: nginx.url,
    ...o.env,
  };
  const apps: OwnAppServer[] = [];
  const launch = async (i: number) => {
    apps[i] = await startApp(env, { port: ports[i] });
  };
  try {
    for (let i = 0; i < ports.length; i++) await launch(i);
  } catch (error) {
    await Promise.all(apps.map((a) => a.kill()));
    await nginx.stop();
    throw error;
  }
  const app = (i: number) => {
    const a = apps[i];
    if (!a) throw new Error(`no instance ${i}`);
    return a;
  };
  /** Requests nginx passed to instance i that it answered (the last upstream of each log line). */
  const served = async (i: number) => {
    // The last upstream of each line answered it (earlier ones refused or failed).
    const mine = new RegExp(
      `upstream=(?:[^ ]+, )*127\\.0\\.0\\.1:${ports[i]} upstream_status=(?:[^ ]+, )*[1-4]\\d\\d `,
    );
    return (await nginx.accessLog()).split("\n").filter((line) => mine.test(line)).length;
  };
  return {
    nginx,
    url: nginx.url,
    apps,
    async restart(i) {
      await app(i).stop();
      await launch(i);
      // Counted after the old process exited: only the new one's answers count.
      const before = await served(i);
      await until(
        `nginx to pass instance ${i} requests again`,
        async () => (await served(i)) > before,
      );
    },
    kill: (i) => app(i).kill(),
    start: (i) => launch(i),
    served,
    async stop() {
      await Promise.all(apps.map((a) => a.kill()));
      await nginx.stop();
    },
  };
}
