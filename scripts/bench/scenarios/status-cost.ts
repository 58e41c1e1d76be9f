import autocannon, { type Result } from "autocannon";
import { Desktop } from "../clients";
import { cpuMeter } from "../proc";
import { type ProfileSummary, profiling } from "../profile";
import { progress } from "../progress";
import { bareServer, benchApp, buildLabel } from "../stack";
import { median, round } from "../stats";

/**
 * Scenario 2: what one status request costs, next to its floors, in the
 * same run: GET /api/qr/{id} (plain, binding cookie), GET /api/health/live
 * (an almost empty route: the serving path's floor; Next.js's until the whole
 * API was served without it, lib/server/fast-api.ts) on the same instance, and a
 * bare node:http + ioredis server doing the same HGETALL (the machine's floor).
 * Targets take turns within each repetition so all see the same machine.
 */

type Target = "status" | "live" | "bare";
const TARGETS: Target[] = ["status", "live", "bare"];

export interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** The server process's CPU during the run, % of one core. */
  serverCpuPct: number;
  /** This process's (autocannon's) CPU, % of one core. */
  clientCpuPct: number;
}

export interface StatusCostResult {
  /** With --profile: where the app instance spent its CPU (figures then include profiling overhead). */
  profile?: ProfileSummary;
  connections: number;
  seconds: number;
  runs: Partial<Record<Target, Measured>>[];
  /** Medians over the runs. */
  perSecond: Record<Target, number>;
  /** Median over runs of each run's ratio. */
  statusVsLive: number;
  statusVsBare: number;
  liveVsBare: number;
}

async function cannon(
  pid: number,
  url: string,
  seconds: number,
  connections: number,
  cookie = "",
): Promise<Measured> {
  const server = cpuMeter(pid);
  const client = cpuMeter(process.pid);
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    headers: cookie ? { cookie } : {},
  });
  instance.on("response", () => {
    progress.requests++;
  });
  const r: Result = await instance;
  return {
    perSecond: round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    serverCpuPct: round(server.stop()),
    clientCpuPct: round(client.stop()),
  };
}

export async function statusCostScenario(
  redisUrl: string,
  o: {
    runs: number;
    seconds: number;
    connections: number;
    /** Default: all three. The profile run measures the status route alone. */
    targets?: Target[];
    profile?: boolean;
    /** The previous build's checkout (--baseline); default: this build. */
    baseline?: string;
  },
): Promise<StatusCostResult> {
  progress.begin(`2 status request cost${buildLabel(o.baseline)}`);
  const prof = o.profile ? profiling() : undefined;
  const app = await benchApp(redisUrl, prof?.env, o.baseline);
  const bare = await bareServer(redisUrl);
  let result: StatusCostResult;
  try {
    /** A fresh waiting ticket per measurement (its 120-s lifetime, and the per-ticket limit). */
    const waitingTicket = async () => {
      const desktop = new Desktop(app.url);
      const { ticketId } = await desktop.create();
      const cookie = [...desktop.http.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      return { ticketId, cookie };
    };
    const measure = async (target: Target, seconds: number) => {
      const { ticketId, cookie } = await waitingTicket();
      if (target === "status") {
        return cannon(app.pid, `${app.url}/api/qr/${ticketId}`, seconds, o.connections, cookie);
      }
      if (target === "live")
        return cannon(app.pid, `${app.url}/api/health/live`, seconds, o.connections);
      return cannon(bare.pid, `${bare.url}/t/${ticketId}`, seconds, o.connections);
    };
    progress.note("warm-up");
    const targets = o.targets ?? TARGETS;
    for (const target of targets) await measure(target, Math.min(2, o.seconds));

    const runs: Partial<Record<Target, Measured>>[] = [];
    for (let r = 0; r < o.runs; r++) {
      const run: Partial<Record<Target, Measured>> = {};
      // Rotate the order so no target always runs first (or right after the heaviest).
      for (let k = 0; k < targets.length; k++) {
        const target = targets[(k + r) % targets.length] as Target;
        progress.note(`run ${r + 1}/${o.runs}: ${target}`);
        run[target] = await measure(target, o.seconds);
      }
      runs.push(run);
    }
    const rate = (run: Partial<Record<Target, Measured>>, t: Target) =>
      run[t]?.perSecond ?? Number.NaN;
    const med = (f: (run: Partial<Record<Target, Measured>>) => number) => median(runs.map(f));
    result = {
      connections: o.connections,
      seconds: o.seconds,
      runs,
      perSecond: {
        status: med((r) => rate(r, "status")),
        live: med((r) => rate(r, "live")),
        bare: med((r) => rate(r, "bare")),
      },
      statusVsLive: round(
        med((r) => rate(r, "status") / rate(r, "live")),
        3,
      ),
      statusVsBare: round(
        med((r) => rate(r, "status") / rate(r, "bare")),
        4,
      ),
      liveVsBare: round(
        med((r) => rate(r, "live") / rate(r, "bare")),
        4,
      ),
    };
  } finally {
    await Promise.all([app.stop(), bare.stop()]);
    progress.end();
  }
  return prof ? { ...result, profile: prof.summary() } : result;
}
