import { Desktop, type Phone, phones, runPool } from "../clients";
import { cpuMeter } from "../proc";
import { type ProfileSummary, profiling } from "../profile";
import { progress } from "../progress";
import { type App, benchApp, buildLabel } from "../stack";
import { median, round, type Summary, summarize } from "../stats";

/**
 * Scenario 1: complete logins, concurrently, on one instance. Each virtual
 * desktop creates a ticket and long-polls; its phone scans and confirms; the
 * woken desktop claims a session through next-auth (CSRF included).
 */

export interface LoginTimes {
  create: number;
  scan: number;
  confirm: number;
  /** Confirm returned → the desktop's long-poll returned "confirmed". */
  wake: number;
  /** CSRF token + callback, until the session cookie is set. */
  claim: number;
  total: number;
}

/** One full login; times in ms. */
export async function login(appUrl: string, phone: Phone): Promise<LoginTimes> {
  const desktop = new Desktop(appUrl);
  const t0 = performance.now();
  const { ticketId, scanUrl } = await desktop.create();
  const t1 = performance.now();
  const confirmed = desktop.waitFor(ticketId, "confirmed", { deadlineMs: 60_000 });
  confirmed.catch(() => {}); // awaited below; a phone failure must not leave it unhandled
  await phone.scan(scanUrl);
  const t2 = performance.now();
  await phone.confirm(ticketId);
  const t3 = performance.now();
  const t4 = await confirmed;
  await desktop.claim(ticketId);
  const t5 = performance.now();
  return {
    create: t1 - t0,
    scan: t2 - t1,
    confirm: t3 - t2,
    wake: t4 - t3,
    claim: t5 - t4,
    total: t5 - t0,
  };
}

export interface LoginsResult {
  /** With --profile: where the app instance spent its CPU (figures then include profiling overhead). */
  profile?: ProfileSummary;
  concurrency: number;
  runs: {
    seconds: number;
    logins: number;
    perSecond: number;
    errors: number;
    serverCpuPct: number;
    clientCpuPct: number;
  }[];
  loginsPerSecond: number;
  errors: number;
  errorSamples: string[];
  steps: Record<keyof LoginTimes, Summary>;
}

export async function loginsScenario(
  redisUrl: string,
  o: {
    runs: number;
    seconds: number;
    concurrency: number;
    profile?: boolean;
    /** The previous build's checkout (--baseline); default: this build. */
    baseline?: string;
  },
): Promise<LoginsResult> {
  progress.begin(`1 full logins/s${buildLabel(o.baseline)}`);
  const prof = o.profile ? profiling() : undefined;
  const app: App = await benchApp(redisUrl, prof?.env, o.baseline);
  let result: LoginsResult;
  try {
    const pool = await phones(app.url, 8);
    // Warm-up: every route loaded and JIT-compiled before anything is timed.
    await runPool({ concurrency: 8, count: 40 }, async (i) => {
      await login(app.url, pool[i % pool.length] as Phone);
    });
    const samples: LoginTimes[] = [];
    const runs: LoginsResult["runs"] = [];
    const errorSamples: string[] = [];
    for (let r = 0; r < o.runs; r++) {
      progress.note(`run ${r + 1}/${o.runs}, ${o.concurrency} concurrent logins`);
      const server = cpuMeter(app.pid);
      const client = cpuMeter(process.pid);
      const run = await runPool(
        { concurrency: o.concurrency, durationMs: o.seconds * 1000 },
        async (i) => {
          samples.push(await login(app.url, pool[i % pool.length] as Phone));
        },
      );
      runs.push({
        seconds: round(run.seconds, 2),
        logins: run.done,
        perSecond: round(run.done / run.seconds),
        errors: run.errors.length,
        serverCpuPct: round(server.stop()),
        clientCpuPct: round(client.stop()),
      });
      errorSamples.push(...run.errors.slice(0, 5 - errorSamples.length));
    }
    const step = (k: keyof LoginTimes) => summarize(samples.map((s) => s[k]));
    result = {
      concurrency: o.concurrency,
      runs,
      loginsPerSecond: round(median(runs.map((r) => r.perSecond))),
      errors: runs.reduce((n, r) => n + r.errors, 0),
      errorSamples,
      steps: {
        create: step("create"),
        scan: step("scan"),
        confirm: step("confirm"),
        wake: step("wake"),
        claim: step("claim"),
        total: step("total"),
      },
    };
  } finally {
    await app.stop();
    progress.end();
  }
  return prof ? { ...result, profile: prof.summary() } : result;
}
