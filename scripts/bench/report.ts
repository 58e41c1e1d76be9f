import { writeFileSync } from "node:fs";
import type { Machine } from "./machine";
import type { ProfileSummary } from "./profile";
import { reading } from "./reading";
import type { CapacityLevel } from "./scenarios/capacity";
import type { LoginsResult } from "./scenarios/logins";
import type { PageResult } from "./scenarios/page";
import type { StatusCostResult } from "./scenarios/status-cost";
import type { WakeLatencyResult } from "./scenarios/wake-latency";
import { int, ms, pct, type Summary } from "./stats";

export interface Results {
  mode: "quick" | "full";
  machine: Machine;
  buildSeconds?: number;
  benchSeconds?: number;
  status?: StatusCostResult;
  logins?: LoginsResult;
  latency?: WakeLatencyResult;
  capacity?: CapacityLevel[];
  page?: PageResult;
  /** Where the app's CPU goes under status polls and under full logins (profiled runs). */
  profile?: { status?: ProfileSummary; logins?: ProfileSummary };
}

export interface Row {
  scenario: string;
  figure: string;
  value: string;
  target?: string;
  /** Whether the target was met; undefined when there is none. */
  met?: boolean;
}

const p50p99 = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)}`;

export function rows(r: Results): Row[] {
  const out: Row[] = [];
  const add = (scenario: string, figure: string, value: string, target?: string, met?: boolean) =>
    out.push({ scenario, figure, value, target, met });
  if (r.logins) {
    const l = r.logins;
    const s = "1 full logins";
    add(
      s,
      `logins/s, one instance, ${l.concurrency} concurrent (median of ${l.runs.length})`,
      `${l.loginsPerSecond}`,
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
    const each = `${c.connections} conn, ${c.seconds} s, median of ${c.runs.length}`;
    add(s, `GET /api/qr/{id} (status) req/s (${each})`, int(c.perSecond.status));
    add(s, "GET /api/health/live (empty route) req/s", int(c.perSecond.live));
    add(s, "bare node:http + ioredis HGETALL req/s", int(c.perSecond.bare));
    add(s, "status / empty route", pct(c.statusVsLive), "≥ 80 %", c.statusVsLive >= 0.8);
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
      `burst: ${int(c.burst.approved)} approved in ${c.burst.seconds} s (${int(c.burst.approvalsPerSecond)}/s), wake p50 / p99`,
      p50p99(c.burst.wake),
    );
    add(
      s,
      "errors (+ tickets expired before their phone came)",
      `${c.errors} (+${c.expired})`,
      "0",
      c.errors === 0,
    );
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
    add(s, "JS of every page (a 404: framework + root layout)", `${p.notFoundJsKb} kB`);
  }
  return out;
}

const verdict = (row: Row) =>
  row.target === undefined
    ? ""
    : `${row.target}${row.met === undefined ? "" : row.met ? " (met)" : " (missed)"}`;

export function printTable(r: Results) {
  const table = rows(r);
  const widths = [0, 0, 0];
  for (const row of table) {
    widths[0] = Math.max(widths[0] ?? 0, row.scenario.length);
    widths[1] = Math.max(widths[1] ?? 0, row.figure.length);
    widths[2] = Math.max(widths[2] ?? 0, row.value.length);
  }
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(widths[0] ?? 0)}  ${b.padEnd(widths[1] ?? 0)}  ${c.padStart(widths[2] ?? 0)}  ${d}`;
  console.log(
    `\nQR login benchmark (${r.mode}), ${r.machine.cpus} cores, Node ${r.machine.node}, Redis ${r.machine.redis}`,
  );
  let last = "";
  for (const row of table) {
    console.log(
      line(row.scenario === last ? "" : row.scenario, row.figure, row.value, verdict(row)),
    );
    last = row.scenario;
  }
  console.log(
    `\n${r.buildSeconds ? `build ${r.buildSeconds} s, ` : ""}scenarios ${r.benchSeconds ?? "?"} s`,
  );
}

export function markdownTable(r: Results): string {
  const lines = ["| scenario | figure | result | target |", "|---|---|---:|---|"];
  let last = "";
  for (const row of rows(r)) {
    lines.push(
      `| ${row.scenario === last ? "" : row.scenario} | ${row.figure} | ${row.value} | ${verdict(row)} |`,
    );
    last = row.scenario;
  }
  return lines.join("\n");
}

export function writeReports(r: Results) {
  writeFileSync("BENCHMARKS.json", `${JSON.stringify(r, null, 2)}\n`);
  renderMarkdown(r);
}

export function renderMarkdown(r: Results) {
  writeFileSync("BENCHMARKS.md", reading(r, markdownTable(r)));
  console.log("Wrote BENCHMARKS.md");
}
