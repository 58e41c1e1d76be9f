import { TEST_USERS } from "../../../tests/support/app-server";
import { signIn } from "../../phone";
import { runPool } from "../clients";
import { cpuMeter } from "../proc";
import { progress } from "../progress";
import { type App, benchApp } from "../stack";
import { median, round, type Summary, summarize } from "../stats";

/**
 * Scenario 8: password sign-ins (`POST /api/mobile/sessions`, argon2id at
 * m=19 MiB, t=2, p=1), concurrently, on one instance: sign-ins per second and
 * per core of the app's CPU, to read beside the QR logins per second (and
 * against Keycloak's sizing anchor: 15 password logins/s per vCPU).
 */
export const KEYCLOAK_PER_VCPU = 15;

export interface PasswordsResult {
  concurrency: number;
  runs: {
    seconds: number;
    signIns: number;
    perSecond: number;
    errors: number;
    serverCpuPct: number;
  }[];
  signInsPerSecond: number;
  /** Sign-ins per second per core the app process kept busy (median of the runs). */
  perCore: number;
  latency: Summary;
  errors: number;
  errorSamples: string[];
}

export async function passwordsScenario(
  redisUrl: string,
  o: { runs: number; seconds: number; concurrency: number },
): Promise<PasswordsResult> {
  progress.begin("8 password sign-ins/s");
  const app: App = await benchApp(redisUrl);
  const users = TEST_USERS.split(",").map((entry) => entry.split(":"));
  const once = async (i: number) => {
    const [user = "", password = ""] = users[i % users.length] ?? [];
    progress.requests++;
    await signIn(app.url, user, password);
  };
  try {
    // Warm-up: the route loaded, the hash's first (slow) call made.
    await runPool({ concurrency: 2, count: 8 }, once);
    const runs: PasswordsResult["runs"] = [];
    const samples: number[] = [];
    const errorSamples: string[] = [];
    for (let r = 0; r < o.runs; r++) {
      progress.note(`run ${r + 1}/${o.runs}, ${o.concurrency} concurrent sign-ins`);
      const server = cpuMeter(app.pid);
      const run = await runPool(
        { concurrency: o.concurrency, durationMs: o.seconds * 1000 },
        async (i) => {
          const t0 = performance.now();
          await once(i);
          samples.push(performance.now() - t0);
        },
      );
      runs.push({
        seconds: round(run.seconds, 2),
        signIns: run.done,
        perSecond: round(run.done / run.seconds),
        errors: run.errors.length,
        serverCpuPct: round(server.stop()),
      });
      errorSamples.push(...run.errors.slice(0, 5 - errorSamples.length));
    }
    return {
      concurrency: o.concurrency,
      runs,
      signInsPerSecond: round(median(runs.map((r) => r.perSecond))),
      perCore: round(median(runs.map((r) => r.perSecond / Math.max(r.serverCpuPct / 100, 0.01)))),
      latency: summarize(samples),
      errors: runs.reduce((n, r) => n + r.errors, 0),
      errorSamples,
    };
  } finally {
    await app.stop();
    progress.end();
  }
}
