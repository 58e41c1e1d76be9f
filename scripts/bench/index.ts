/**
 * The benchmark (issue 6): a production build, its own redis-server, app
 * instances as separate processes, load from this process on loopback.
 *
 *   npm run bench                 full run (< 10 min on 2 cores): BENCHMARKS.json and
 *                                 the table in BENCHMARKS.md (the reading around it is
 *                                 written by hand after looking at the run)
 *   npm run bench -- --quick      every scenario, small (< 1 min after the build)
 *   npm run bench -- --baseline=/tmp/prev   the previous build beside this one (baseline.ts)
 *
 * See options.ts for the rest. It reports; it does not pass or fail.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type Baseline, checkBaseline } from "./baseline";
import { loadAverage, machine } from "./machine";
import { type Compared, type Options, parseOptions, sizes } from "./options";
import { progress } from "./progress";
import { printTable, type Results, writeReports, writeTable } from "./report";
import { capacityScenario } from "./scenarios/capacity";
import { loginsScenario } from "./scenarios/logins";
import { pageScenario } from "./scenarios/page";
import { passwordsScenario } from "./scenarios/passwords";
import { signOutScenario } from "./scenarios/sign-out";
import { statusCostScenario } from "./scenarios/status-cost";
import { topologyScenario } from "./scenarios/topology";
import { wakeLatencyScenario } from "./scenarios/wake-latency";
import { benchRedis, stopAll } from "./stack";

function build(): Promise<number> {
  progress.begin("npm run build");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let output = "";
    // `npm run build`: next build, then the status fast path (scripts/build-fast-path.mjs).
    const child = spawn("npm", ["run", "--silent", "build"], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c) => (output += c));
    child.stderr?.on("data", (c) => (output += c));
    child.once("error", reject);
    child.once("exit", (code) => {
      progress.end();
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`npm run build failed (${code}):\n${output}`));
    });
  });
}

async function run(o: Options, baseline: Baseline | undefined): Promise<Results> {
  const size = sizes(o.quick);
  const results: Results = { mode: o.quick ? "quick" : "full", machine: machine() };
  if (o.build) results.buildSeconds = Math.round(await build());
  const started = performance.now();
  results.machine.loadAverage.start = loadAverage();
  const redis = await benchRedis();
  const has = (s: Options["only"][number]) => o.only.includes(s);
  const previous: Pick<Results, Compared> = {};
  /** Runs a scenario on this build, then (--baseline) on the previous one; each from an empty Redis. */
  const compare = async <K extends Compared>(
    key: K,
    scenario: (baselineDir?: string) => Promise<Results[K]>,
  ) => {
    await redis.flush();
    results[key] = await scenario();
    if (!baseline) return;
    await redis.flush();
    previous[key] = await scenario(baseline.dir);
  };
  if (has("status")) {
    await compare("status", (b) => statusCostScenario(redis.url, { ...size.status, baseline: b }));
  }
  if (has("logins")) {
    await compare("logins", (b) => loginsScenario(redis.url, { ...size.logins, baseline: b }));
  }
  if (has("latency")) {
    await compare("latency", (b) =>
      wakeLatencyScenario(redis.url, { ...size.latency, baseline: b }),
    );
  }
  if (has("capacity")) {
    await compare("capacity", (b) =>
      capacityScenario(redis.url, () => redis.flush(), {
        ...size.capacity,
        ...(o.levels ? { levels: o.levels } : {}),
        baseline: b,
      }),
    );
  }
  if (baseline) results.baseline = { ...baseline, ...previous };
  if (has("signout")) {
    await redis.flush();
    results.signout = await signOutScenario(redis.url, size.signout);
  }
  if (has("passwords")) {
    await redis.flush();
    results.passwords = await passwordsScenario(redis.url, size.passwords);
  }
  if (has("page")) {
    await redis.flush();
    results.page = await pageScenario(redis.url, size.page);
  }
  if (has("profile")) {
    await redis.flush();
    const { seconds } = size.profile;
    const status = await statusCostScenario(redis.url, {
      ...size.status,
      runs: 1,
      seconds,
      targets: ["status"],
      profile: true,
    });
    await redis.flush();
    const logins = await loginsScenario(redis.url, {
      ...size.logins,
      runs: 1,
      seconds,
      profile: true,
    });
    results.profile = { status: status.profile, logins: logins.profile };
  }
  if (has("topology")) {
    await redis.flush();
    results.topology = await topologyScenario(redis.url, size.topology);
  }
  results.benchSeconds = Math.round((performance.now() - started) / 1000);
  results.machine.loadAverage.end = loadAverage();
  return results;
}

async function main() {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
    return;
  }
  if (options.render) {
    const results = JSON.parse(readFileSync("BENCHMARKS.json", "utf8")) as Results;
    printTable(results);
    if (!writeTable(results)) process.exitCode = 1;
    return;
  }
  let baseline: Baseline | undefined;
  try {
    // Before the build and the scenarios: a missing previous build fails in a second, not at the end.
    baseline = options.baseline ? checkBaseline(options.baseline) : undefined;
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
    return;
  }
  let stopping = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    progress.end();
    console.error(`\n[bench] ${signal}: stopping everything it started`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    const results = await run(options, baseline);
    printTable(results);
    if (options.write && !writeReports(results)) process.exitCode = 1;
  } catch (error) {
    progress.end();
    console.error(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

void main();
