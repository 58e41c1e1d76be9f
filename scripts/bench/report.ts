import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Baseline } from "./baseline";
import type { Machine } from "./machine";
import type { Compared } from "./options";
import type { ProfileSummary } from "./profile";
import type { CapacityLevel } from "./scenarios/capacity";
import type { LoginsResult } from "./scenarios/logins";
import type { PageResult } from "./scenarios/page";
import { KEYCLOAK_PER_VCPU, type PasswordsResult } from "./scenarios/passwords";
import type { SignOutResult } from "./scenarios/sign-out";
import type { StatusCostResult } from "./scenarios/status-cost";
import type { TopologyResult } from "./scenarios/topology";
import type { WakeLatencyResult } from "./scenarios/wake-latency";
import { int, median, ms, pct, type Summary } from "./stats";

/** What the scenarios measured on one build. */
export interface ScenarioResults {
  status?: StatusCostResult;
  logins?: LoginsResult;
  latency?: WakeLatencyResult;
  capacity?: CapacityLevel[];
  signout?: SignOutResult;
  passwords?: PasswordsResult;
  page?: PageResult;
  topology?: TopologyResult;
}

export interface Results extends ScenarioResults {
  mode: "quick" | "full";
  machine: Machine;
  buildSeconds?: number;
  benchSeconds?: number;
  /** Where the app's CPU goes under status polls and under full logins (profiled runs). */
  profile?: { status?: ProfileSummary; logins?: ProfileSummary };
  /** --baseline: the same scenarios on the previous build, each run right after this build's. */
  baseline?: Baseline & Pick<ScenarioResults, Compared>;
}

export interface Row {
  scenario: string;
  figure: string;
  value: string;
  /** The previous build's value (--baseline); "" when it was not measured there. */
  previous?: string;
  target?: string;
  /** Whether the target was met; undefined when there is none. */
  met?: boolean;
}

const p50p99 = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)}`;
/** The spread of repeated runs, to judge a difference against: " (lowest–highest)". */
const range = (runs: number[], f: (n: number) => string = String) =>
  runs.length > 1 ? ` (${f(Math.min(...runs))}–${f(Math.max(...runs))})` : "";

/** The table's rows; with a baseline, each with the previous build's value of the same figure. */
export function rows(r: Results): Row[] {
  const current = figures(r);
  if (!r.baseline) return current;
  const before = figures(r.baseline);
  // The same figure is the k-th row of the same scenario: rows depend only on what ran.
  const seen = new Map<string, number>();
  return current.map((row) => {
    const k = seen.get(row.scenario) ?? 0;
    seen.set(row.scenario, k + 1);
    const match = before.filter((b) => b.scenario === row.scenario)[k];
    return { ...row, previous: match?.value ?? "" };
  });
}

function figures(r: ScenarioResults): Row[] {
  const out: Row[] = [];
  const add = (scenario: string, figure: string, value: string, target?: string, met?: boolean) =>
    out.push({ scenario, figure, value, target, met });
  if (r.logins) {
    const l = r.logins;
    const s = "1 full logins";
    add(
      s,
      `logins/s, one instance, ${l.concurrency} concurrent (median of ${l.runs.length} runs, and their range)`,
      `${l.loginsPerSecond}${range(l.runs.map((x) => x.perSecond))}`,
    );
    add(s, "whole login p50 / p99", p50p99(l.steps.total));
    add(s, "create p50 / p99", p50p99(l.steps.create));
    add(s, "phone scan p50 / p99", p50p99(l.steps.scan));
    add(s, "phone confirm p50 / p99", p50p99(l.steps.confirm));
    add(s, "confirm → desktop woken p50 / p99", p50p99(l.steps.wake));
    add(s, "claim (CSRF + callback) p50 / p99", p50p99(l.steps.claim));
    add(s, "errors", `${l.errors}`, "0", l.errors === 0);
  }
  if (r.status) {
    const c = r.status;
    const s = "2 status cost";
    const each = `${c.connections} conn, ${c.seconds} s, median of ${c.runs.length} runs, and their range`;
    const rate = (t: "status" | "live" | "bare") =>
      `${int(c.perSecond[t])}${range(
        c.runs.flatMap((run) => run[t]?.perSecond ?? []),
        int,
      )}`;
    add(s, `GET /api/qr/{id} (status) req/s (${each})`, rate("status"));
    add(s, "GET /api/health/live (empty route) req/s", rate("live"));
    add(s, "bare node:http + ioredis HGETALL req/s", rate("bare"));
    // Its "≥ 80 %" target held the status read against Next.js's floor; since the whole API is
    // served without Next.js (lib/server/fast-api.ts) the empty route is no floor of Next.js's.
    add(s, "status / empty route", pct(c.statusVsLive));
    add(s, "status / bare floor", pct(c.statusVsBare));
    add(s, "empty route / bare floor", pct(c.liveVsBare));
    const bad = c.runs.reduce(
      (n, run) => n + (run.status?.non2xx ?? 0) + (run.status?.errors ?? 0),
      0,
    );
    add(s, "status non-2xx + errors", `${bad}`, "0", bad === 0);
  }
  if (r.latency) {
    const w = r.latency;
    const s = "3 confirm → desktop";
    add(
      s,
      `long-poll, desktop on A, phone on B: p50 / p99 (${w.longPoll.n} logins)`,
      p50p99(w.longPoll),
    );
    add(s, `1-s polling: p50 / p99 (${w.polling.n} logins)`, p50p99(w.polling));
    add(s, "1-s polling adds at p50", ms(w.polling.p50 - w.longPoll.p50));
    add(s, "errors", `${w.errors}`, "0", w.errors === 0);
  }
  for (const c of r.capacity ?? []) {
    const s = `4 ${int(c.desktops)} waiting`;
    add(
      s,
      "server CPU idle → waiting (% of one core)",
      `${c.idle.cpuPct} % → ${c.waiting.cpuPct} %`,
    );
    add(
      s,
      "server RSS idle → waiting → after burst",
      `${int(c.idle.rssMb)} → ${int(c.waiting.rssMb)} → ${int(c.burst.rssMb)} MiB`,
    );
    add(
      s,
      "burst: approved, approvals/s",
      `${int(c.burst.approved)} in ${c.burst.seconds} s (${int(c.burst.approvalsPerSecond)}/s)`,
    );
    add(s, "burst: confirm → desktop woken p50 / p99", p50p99(c.burst.wake));
    add(
      s,
      "errors (+ tickets expired before their phone came)",
      `${c.errors} (+${c.expired})`,
      "0",
      c.errors === 0,
    );
  }
  if (r.passwords) {
    const w = r.passwords;
    const s = "8 password sign-ins";
    add(
      s,
      `password sign-ins/s (argon2id 19 MiB, t=2, p=1), one instance, ${w.concurrency} concurrent (median of ${w.runs.length} runs, and their range)`,
      `${w.signInsPerSecond}${range(w.runs.map((x) => x.perSecond))}`,
    );
    add(
      s,
      "password sign-ins/s per core of the app",
      `${w.perCore}`,
      `≥ ${KEYCLOAK_PER_VCPU} (Keycloak's sizing per vCPU)`,
      w.perCore >= KEYCLOAK_PER_VCPU,
    );
    if (r.logins) {
      const perCore = median(
        r.logins.runs.map((x) => x.perSecond / Math.max(x.serverCpuPct / 100, 0.01)),
      );
      add(s, "beside: QR logins/s per core of the app (scenario 1)", `${Math.round(perCore)}`);
    }
    add(s, "sign-in p50 / p99", p50p99(w.latency));
    add(s, "errors", `${w.errors}`, "0", w.errors === 0);
  }
  if (r.signout) {
    const o = r.signout;
    const s = "6 sign-out";
    add(
      s,
      `signed out on A → first refusal on B: p50 / p99 (${o.propagation.n} sign-outs)`,
      p50p99(o.propagation),
      "p99 ≤ 1 s",
      o.propagation.p99 <= 1000,
    );
    add(
      s,
      "requests B still accepted after A's answer (most in one sign-out)",
      `${o.maxAcceptedAfter}`,
    );
    add(s, "errors", `${o.errors}`, "0", o.errors === 0);
  }
  if (r.page) {
    const p = r.page;
    const s = "5 /login page";
    add(
      s,
      `JS downloaded, compressed (${p.jsFiles} files; ${int(p.jsDecodedKb)} kB uncompressed)`,
      `${p.jsEncodedKb} kB`,
      "≤ 150 kB",
      p.jsEncodedKb <= 150,
    );
    add(
      s,
      `navigation → QR drawn (median of ${p.loads})`,
      ms(p.qrDrawnMs),
      "≤ 500 ms",
      p.qrDrawnMs <= 500,
    );
    add(s, "first contentful paint", ms(p.fcpMs));
    if (p.cls !== undefined) {
      add(
        s,
        `layout shift (CLS) walking every state (median of ${p.clsWalks.length})`,
        p.cls.toFixed(3),
        "< 0.05",
        p.cls < 0.05,
      );
    }
    add(s, "JS of every page (a 404: framework + root layout)", `${p.notFoundJsKb} kB`);
    for (const c of p.composition ?? []) add(s, `  of which ${c.what}`, `${c.kb} kB`);
  }
  if (r.topology) {
    const s = "7 topology";
    for (const e of r.topology.events) {
      const fine = e.other5xx === 0 && e.hung === 0 && e.wrongUser === 0;
      add(
        s,
        `${e.event}, ${r.topology.loginsPerSecond} logins/s: attempted / completed / failed`,
        `${e.attempted} / ${e.completed} / ${e.failed}`,
        e.event === "rolling restart" ? "0 failed" : undefined,
        e.event === "rolling restart" ? e.failed === 0 : undefined,
      );
      add(
        s,
        `${e.event}: longest desktop wait after approval / longest login`,
        `${ms(e.longestWakeMs)} / ${ms(e.longestLoginMs)}`,
      );
      add(
        s,
        `${e.event}: 503s, first to last (slowest 503)`,
        `${e.unavailable}, ${ms(e.window503Ms)} (${ms(e.slowest503Ms)})`,
      );
      add(
        s,
        `${e.event}: other 5xx / hangs / sessions to the wrong browser`,
        `${e.other5xx} / ${e.hung} / ${e.wrongUser}`,
        "0 / 0 / 0",
        fine,
      );
    }
  }
  return out;
}

const verdict = (row: Row) =>
  row.target === undefined
    ? ""
    : `${row.target}${row.met === undefined ? "" : row.met ? " (met)" : " (missed)"}`;

/** The table's cells: scenario (on its first row only), figure, result, [previous build], target. */
function cells(r: Results): { head: string[]; body: string[][] } {
  const table = rows(r);
  const head = [
    "scenario",
    "figure",
    "result",
    ...(r.baseline ? ["previous build"] : []),
    "target",
  ];
  const body = table.map((row, i) => [
    row.scenario === table[i - 1]?.scenario ? "" : row.scenario,
    row.figure,
    row.value,
    ...(r.baseline ? [row.previous ?? ""] : []),
    verdict(row),
  ]);
  return { head, body };
}

const previousBuild = (r: Results) =>
  r.baseline
    ? `Previous build: ${r.baseline.commit ? `commit ${r.baseline.commit} in ` : ""}${r.baseline.dir}, each scenario run right after this build's.`
    : "";

export function printTable(r: Results) {
  const { head, body } = cells(r);
  const widths = head.map((h, c) =>
    Math.max(h.length, ...body.map((cols) => cols[c]?.length ?? 0)),
  );
  const numeric = (c: number) => c >= 2 && c < head.length - 1; // result and previous build
  const line = (cols: string[]) =>
    cols
      .map((text, c) => (numeric(c) ? text.padStart(widths[c] ?? 0) : text.padEnd(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  const m = r.machine;
  console.log(
    `\nQR login benchmark (${r.mode}), ${m.cpus} cores, Node ${m.node}, Redis ${m.redis}\n`,
  );
  for (const cols of [head, ...body]) console.log(line(cols));
  const load = `${m.loadAverage.start} → ${m.loadAverage.end ?? "?"}`;
  console.log(
    `\n${r.buildSeconds ? `build ${r.buildSeconds} s, ` : ""}scenarios ${r.benchSeconds ?? "?"} s, load average ${load}`,
  );
  if (r.baseline) console.log(previousBuild(r));
}

export function markdownTable(r: Results): string {
  const { head, body } = cells(r);
  const row = (cols: string[]) => `| ${cols.join(" | ")} |`;
  const align = head.map((_, c) => (c >= 2 && c < head.length - 1 ? "---:" : "---"));
  const lines = [row(head), `|${align.join("|")}|`, ...body.map(row)];
  if (r.baseline) lines.push("", previousBuild(r));
  return lines.join("\n");
}

const START = "<!-- bench:table:start -->";
const END = "<!-- bench:table:end -->";

export function writeReports(r: Results): boolean {
  writeFileSync("BENCHMARKS.json", `${JSON.stringify(r, null, 2)}\n`);
  console.log("Wrote BENCHMARKS.json");
  return writeTable(r);
}

/**
 * Replaces the table between BENCHMARKS.md's markers and leaves the rest (the
 * hand-written reading) as it is. Without the markers it changes nothing,
 * prints the table to paste, and returns false.
 */
export function writeTable(r: Results): boolean {
  const table = markdownTable(r);
  const md = existsSync("BENCHMARKS.md") ? readFileSync("BENCHMARKS.md", "utf8") : "";
  const start = md.indexOf(START);
  const end = md.indexOf(END, start);
  if (start < 0 || end < 0) {
    console.log(`\n${table}\n`);
    console.error(
      `BENCHMARKS.md not changed: it has no ${START} … ${END} pair; paste the table above into it, or put the two markers around its table and run \`npm run bench -- --render\`.`,
    );
    return false;
  }
  const before = md.slice(0, start + START.length);
  writeFileSync("BENCHMARKS.md", `${before}\n${table}\n${md.slice(end)}`);
  console.log(
    "Wrote the table in BENCHMARKS.md (between its markers; the prose around it is unchanged)",
  );
  return true;
}
