import { BenchError, Desktop, type Phone, phones, runPool, sleep } from "../clients";
import { cpuMeter, cpuPercent, fdCount, rssMb } from "../proc";
import { progress } from "../progress";
import { benchApp, buildLabel } from "../stack";
import { round, type Summary, summarize } from "../stats";
import { login } from "./logins";

/**
 * Scenario 4: many desktops waiting at once on one instance, each holding a
 * long-poll (wait=25, re-issued on timeout). Server CPU (% of one core) and
 * RSS idle and while they wait; then their phones approve in a burst (scan +
 * confirm through the API, 64 at a time, oldest ticket first) and each
 * desktop's wake latency is measured from its confirm returning to its
 * long-poll returning "confirmed".
 *
 * The waiting window starts when the last desktop is waiting and lasts 25 s
 * in the full run: within it every desktop's long-poll times out and is
 * re-issued exactly once, so its CPU is the steady cost of N waiting desktops.
 * A pending ticket lives 120 s (the env's maximum), so creation, the window
 * and the burst must fit in that; a ticket that expired before its phone got
 * to it is counted apart from errors.
 */

export interface CapacityLevel {
  desktops: number;
  createSeconds: number;
  idle: { cpuPct: number; rssMb: number };
  waiting: {
    cpuPct: number;
    rssMb: number;
    holdSeconds: number;
    serverFds: number;
    clientFds: number;
    clientCpuPct: number;
    /** Long-polls that timed out (25 s) and were re-issued during the whole level. */
    reissues: number;
  };
  burst: {
    seconds: number;
    /** Logins confirmed within the burst's time bound (60 s). */
    approved: number;
    approvalsPerSecond: number;
    rssMb: number;
    wake: Summary;
  };
  errors: number;
  /** Tickets that ran out (120 s) before their phone reached them: the machine was too slow for N. */
  expired: number;
  errorSamples: string[];
}

interface CapacityOptions {
  idleMs: number;
  holdMs: number;
  phoneConcurrency: number;
  /** The previous build's checkout (--baseline); default: this build. */
  baseline?: string;
}

interface Waiting {
  ticketId: string;
  scanUrl: string;
  seen: Promise<number>;
  confirmedAt?: number;
}

export async function capacityLevel(
  redisUrl: string,
  n: number,
  o: CapacityOptions,
): Promise<CapacityLevel> {
  const app = await benchApp(redisUrl, {}, o.baseline);
  try {
    const pool = await phones(app.url, 16);
    const pick = (i: number) => pool[i % pool.length] as Phone;
    await runPool({ concurrency: 4, count: 20 }, async (i) => void (await login(app.url, pick(i))));
    await sleep(1000);
    progress.note(`${n} desktops: idle`);
    const idle = {
      cpuPct: round(await cpuPercent(app.pid, o.idleMs)),
      rssMb: round(rssMb(app.pid)),
    };

    let inFlight = 0;
    let reissues = 0;
    const errors: string[] = [];
    const waiting: Waiting[] = [];
    const watch = async (desktop: Desktop, w: Omit<Waiting, "seen">) => {
      let since = 1;
      for (let i = 0; i < 24; i++) {
        inFlight++;
        const s = await desktop.status(w.ticketId, since, 25).finally(() => inFlight--);
        if (s.state === "confirmed") return performance.now();
        // The QR rotated while waiting: the phone scans the one on the screen now.
        if (s.scanUrl) w.scanUrl = s.scanUrl;
        if (s.state !== "pending" && s.state !== "scanned") throw new BenchError(`got ${s.state}`);
        if (s.version === since) reissues++;
        since = s.version;
      }
      throw new BenchError("no confirmed state after 24 long-polls");
    };
    const created = await runPool({ concurrency: 50, count: n, durationMs: 90_000 }, async () => {
      const desktop = new Desktop(app.url);
      const { ticketId, scanUrl } = await desktop.create();
      const shown = { ticketId, scanUrl };
      const seen = watch(desktop, shown);
      seen.catch(() => {});
      waiting.push(Object.assign(shown, { seen }));
      if (waiting.length % 250 === 0) progress.note(`${waiting.length}/${n} desktops waiting`);
    });
    errors.push(...created.errors);
    for (let i = 0; i < 100 && inFlight < waiting.length; i++) await sleep(100);

    progress.note(`${inFlight} desktops waiting: measuring`);
    const server = cpuMeter(app.pid);
    const client = cpuMeter(process.pid);
    await sleep(o.holdMs);
    const waitingFigures = {
      cpuPct: round(server.stop()),
      rssMb: round(rssMb(app.pid)),
      holdSeconds: o.holdMs / 1000,
      serverFds: fdCount(app.pid),
      clientFds: fdCount("self"),
      clientCpuPct: round(client.stop()),
      reissues: 0,
    };

    progress.note(`${n} phones approving`);
    const burst = await runPool(
      { concurrency: o.phoneConcurrency, count: waiting.length, durationMs: 60_000 },
      async (i) => {
        const w = waiting[i] as Waiting;
        const phone = pick(i);
        await phone.scan(w.scanUrl);
        await phone.confirm(w.ticketId);
        w.confirmedAt = performance.now();
      },
    );
    errors.push(...burst.errors);
    const burstRss = round(rssMb(app.pid));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(Number.NaN), 15_000);
    });
    const wake: number[] = [];
    for (const w of waiting) {
      const seen = await Promise.race([w.seen, deadline]).catch((e: Error) => {
        errors.push(`desktop: ${e.message}`);
        return Number.NaN;
      });
      if (w.confirmedAt !== undefined && !Number.isNaN(seen)) wake.push(seen - w.confirmedAt);
      else if (w.confirmedAt !== undefined)
        errors.push("desktop: not woken within 15 s of the burst's end");
    }
    clearTimeout(timer);
    waitingFigures.reissues = reissues;
    const expired = errors.filter((e) => /expired/i.test(e)).length;
    const others = errors.filter((e) => !/expired/i.test(e));
    progress.log(
      `[bench]   ${n} waiting: CPU ${idle.cpuPct} → ${waitingFigures.cpuPct} %, RSS ${Math.round(idle.rssMb)} → ${Math.round(waitingFigures.rssMb)} MiB, wake p99 ${round(summarize(wake).p99)} ms, errors ${others.length}, expired ${expired}`,
    );
    return {
      desktops: n,
      createSeconds: round(created.seconds),
      idle,
      waiting: waitingFigures,
      burst: {
        seconds: round(burst.seconds),
        approved: burst.done,
        approvalsPerSecond: round(burst.done / burst.seconds),
        rssMb: burstRss,
        wake: summarize(wake),
      },
      errors: others.length,
      expired,
      errorSamples: [...new Set(errors)].slice(0, 5),
    };
  } finally {
    await app.stop();
  }
}

export async function capacityScenario(
  redisUrl: string,
  flush: () => Promise<void>,
  o: CapacityOptions & { levels: number[] },
): Promise<CapacityLevel[]> {
  progress.begin(`4 waiting capacity${buildLabel(o.baseline)}`);
  try {
    const levels: CapacityLevel[] = [];
    for (const n of o.levels) {
      await flush();
      levels.push(await capacityLevel(redisUrl, n, o));
    }
    return levels;
  } finally {
    progress.end();
  }
}
