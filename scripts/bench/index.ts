/**
 * The benchmark (issue 6): a production build, its own redis-server, app
 * instances as separate processes, load from this process on loopback.
 *
 *   npm run bench                 full run (< 10 min on 2 cores), writes BENCHMARKS.md/json
 *   npm run bench -- --quick      every scenario, small (< 1 min after the build)
 *
 * See options.ts for the rest. It reports; it does not pass or fail.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadAverage, machine } from "./machine";
import { type Options, parseOptions, sizes } from "./options";
import { progress } from "./progress";
import { printTable, type Results, renderMarkdown, writeReports } from "./report";
import { capacityScenario } from "./scenarios/capacity";
import { loginsScenario } from "./scenarios/logins";
import { composition, pageScenario } from "./scenarios/page";
import { statusCostScenario } from "./scenarios/status-cost";
import { wakeLatencyScenario } from "./scenarios/wake-latency";
import { benchRedis, stopAll } from "./stack";

// Every fetch from this process (desktops, phones) shows in the progress line.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  progress.requests++;
  return realFetch(input, init);
};

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

async function run(o: Options): Promise<Results> {
  const size = sizes(o.quick);
  const results: Results = { mode: o.quick ? "quick" : "full", machine: machine() };
  if (o.build) results.buildSeconds = Math.round(await build());
  const started = performance.now();
  results.machine.loadAverage.start = loadAverage();
  const redis = await benchRedis();
  const has = (s: Options["only"][number]) => o.only.includes(s);
  if (has("status")) {
    await redis.flush();
    results.status = await statusCostScenario(redis.url, size.status);
  }
  if (has("logins")) {
    await redis.flush();
    results.logins = await loginsScenario(redis.url, size.logins);
  }
  if (has("latency")) {
    await redis.flush();
    results.latency = await wakeLatencyScenario(redis.url, size.latency);
  }
  if (has("capacity")) {
    results.capacity = await capacityScenario(redis.url, () => redis.flush(), size.capacity);
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
    // Chunk labels come from the build folder, which must be the one measured.
    const files = results.page?.samples.at(-1)?.files;
    if (results.page && files) results.page.composition = composition(files);
    printTable(results);
    renderMarkdown(results);
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
    const results = await run(options);
    printTable(results);
    if (options.write) writeReports(results);
  } catch (error) {
    progress.end();
    console.error(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

void main();
