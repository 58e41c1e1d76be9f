import { Desktop, type Phone, phones, runPool, sleep } from "../clients";
import { progress } from "../progress";
import { benchApp, buildLabel } from "../stack";
import { type Summary, summarize } from "../stats";

/**
 * Scenario 3: confirm-to-desktop latency, from the moment the phone's confirm
 * returns to the moment the desktop's pending request returns "confirmed".
 * The desktop talks to instance A, the phone to instance B (one Redis).
 * Long-poll and 1-second polling run side by side in the same window. The
 * phone confirms after a random 0–1 s pause, so confirms land at random
 * points of the polling cycle, as a person's would. A negative value means
 * the desktop had the answer before the phone's own response arrived.
 */

type Mode = "longPoll" | "polling";

export interface WakeLatencyResult {
  loginsPerMode: number;
  concurrencyPerMode: number;
  longPoll: Summary;
  polling: Summary;
  errors: number;
  errorSamples: string[];
}

async function one(mode: Mode, a: string, phone: Phone): Promise<number> {
  const desktop = new Desktop(a);
  const { ticketId, scanUrl } = await desktop.create();
  const seen =
    mode === "longPoll"
      ? desktop.waitFor(ticketId, "confirmed", { deadlineMs: 60_000 })
      : desktop.pollFor(ticketId, "confirmed", 1000, 60);
  seen.catch(() => {});
  await phone.scan(scanUrl);
  await sleep(Math.random() * 1000);
  await phone.confirm(ticketId);
  const confirmedAt = performance.now();
  return (await seen) - confirmedAt;
}

export async function wakeLatencyScenario(
  redisUrl: string,
  o: {
    logins: number;
    concurrency: number;
    warmup: number;
    /** The previous build's checkout (--baseline); default: this build. */
    baseline?: string;
  },
): Promise<WakeLatencyResult> {
  progress.begin(`3 confirm-to-desktop latency${buildLabel(o.baseline)}`);
  const [a, b] = await Promise.all([
    benchApp(redisUrl, {}, o.baseline),
    benchApp(redisUrl, {}, o.baseline),
  ]);
  try {
    const pool = await phones(b.url, 8);
    const pick = (i: number) => pool[i % pool.length] as Phone;
    progress.note("warm-up");
    await runPool({ concurrency: 4, count: o.warmup }, async (i) => {
      await one(i % 2 ? "longPoll" : "polling", a.url, pick(i));
    });
    const samples: Record<Mode, number[]> = { longPoll: [], polling: [] };
    const errors: string[] = [];
    const run = (mode: Mode) =>
      runPool({ concurrency: o.concurrency, count: o.logins, durationMs: 240_000 }, async (i) => {
        samples[mode].push(await one(mode, a.url, pick(i)));
        progress.note(
          `long-poll ${samples.longPoll.length}/${o.logins}, polling ${samples.polling.length}/${o.logins}`,
        );
      });
    const results = await Promise.all([run("longPoll"), run("polling")]);
    for (const r of results) errors.push(...r.errors);
    const longPoll = summarize(samples.longPoll);
    const polling = summarize(samples.polling);
    return {
      loginsPerMode: o.logins,
      concurrencyPerMode: o.concurrency,
      longPoll,
      polling,
      errors: errors.length,
      errorSamples: errors.slice(0, 5),
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    progress.end();
  }
}
