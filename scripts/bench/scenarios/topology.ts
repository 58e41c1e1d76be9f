import { LoginTraffic, type TrafficReport } from "../../../tests/support/login-traffic";
import { startRedisCluster } from "../../../tests/support/redis-cluster";
import { startRedisSentinel } from "../../../tests/support/redis-sentinel";
import { type Stack, startStack } from "../../../tests/support/topology";
import { progress } from "../progress";
import { BENCH_ENV, track } from "../stack";

/**
 * Scenario 7 (opt-in: --only=topology): the production topology of
 * tests/topology/ (nginx with deploy/nginx.conf, two instances, TRUST_PROXY=1)
 * under steady login traffic, through four events: a rolling restart, a
 * crash (SIGKILL, then the instance comes back), a Sentinel failover and a
 * Redis Cluster (3+3) failover. Per event, what a person would notice:
 * logins attempted / completed / failed, the longest a desktop waited, and
 * how long 503s went on.
 */
export interface TopologyEvent {
  event: "rolling restart" | "crash" | "Sentinel failover" | "Cluster failover";
  attempted: number;
  completed: number;
  failed: number;
  /** Failure reasons, counted. */
  reasons: Record<string, number>;
  /** The longest from the phone's approval to the desktop seeing it, ms. */
  longestWakeMs: number;
  /** The longest login, create to session, ms. */
  longestLoginMs: number;
  /** 503 answers, and from the first to the last of them, ms. */
  unavailable: number;
  window503Ms: number;
  /** The slowest 503 to come back, ms. */
  slowest503Ms: number;
  /** 5xx other than 503, and requests with no answer within 10 s: both must be 0. */
  other5xx: number;
  hung: number;
  wrongUser: number;
}

export interface TopologyResult {
  loginsPerSecond: number;
  events: TopologyEvent[];
}

type Size = { perSecond: number; before: number; after: number };

export async function topologyScenario(redisUrl: string, o: Size): Promise<TopologyResult> {
  const events: TopologyEvent[] = [];

  progress.begin("7 topology: rolling restart");
  events.push(
    await withStack({ REDIS_URL: redisUrl }, o, "rolling restart", async (stack) => {
      for (const i of [0, 1]) {
        // Returns once nginx passes the restarted instance requests again.
        await stack.restart(i);
      }
    }),
  );

  progress.begin("7 topology: crash");
  events.push(
    await withStack({ REDIS_URL: redisUrl }, o, "crash", async (stack, traffic) => {
      await stack.kill(0);
      await traffic.waitForLogins(o.after, Date.now());
      await stack.start(0);
    }),
  );

  progress.begin("7 topology: Sentinel failover");
  const sentinel = await startRedisSentinel();
  const stopSentinel = track(() => sentinel.stop());
  try {
    events.push(
      await withStack(
        { REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.name },
        o,
        "Sentinel failover",
        async () => void (await sentinel.killPrimary()),
      ),
    );
  } finally {
    await stopSentinel();
  }

  progress.begin("7 topology: Cluster failover");
  const cluster = await startRedisCluster({ replicas: 1 });
  const stopCluster = track(() => cluster.stop());
  try {
    events.push(
      await withStack(
        { REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(",") },
        o,
        "Cluster failover",
        async () => void (await cluster.killPrimary()),
      ),
    );
  } finally {
    await stopCluster();
  }
  progress.end();
  return { loginsPerSecond: o.perSecond, events };
}

/** A fresh stack, traffic, `before` logins, the event, `after` logins since it, the count. */
async function withStack(
  storeEnv: Record<string, string>,
  o: Size,
  event: TopologyEvent["event"],
  act: (stack: Stack, traffic: LoginTraffic) => Promise<void>,
): Promise<TopologyEvent> {
  const stack = await startStack(storeEnv, { env: BENCH_ENV });
  const stop = track(() => stack.stop());
  const traffic = new LoginTraffic({
    baseUrl: stack.url,
    perSecond: o.perSecond,
    onRequest: () => progress.requests++,
  });
  let report: TrafficReport | undefined;
  try {
    await traffic.start();
    await traffic.waitForLogins(o.before);
    progress.note(event);
    await act(stack, traffic);
    await traffic.waitForLogins(o.after, Date.now());
  } finally {
    report = await traffic.stop();
    await stop();
  }
  return {
    event,
    attempted: report.attempted,
    completed: report.completed,
    failed: report.failed,
    reasons: report.reasons,
    longestWakeMs: report.longestWakeMs,
    longestLoginMs: report.longestLoginMs,
    unavailable: report.statuses[503] ?? 0,
    window503Ms: report.window503Ms,
    slowest503Ms: report.slowest503Ms,
    other5xx: report.unexpected.length,
    hung: report.hung,
    wrongUser: report.wrongUser,
  };
}
