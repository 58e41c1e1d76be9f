import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `--profile`: runs an app instance with V8's sampling profiler on (a preload
 * through NODE_OPTIONS, since Node 20 refuses --cpu-prof there) and sums the
 * profile's self time by package and by function, to say where a request's
 * CPU goes (the framework, next-auth, logging, the app's own code).
 */

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Share of sampled time (idle excluded) per package, largest first. */
  byPackage: { name: string; pct: number }[];
  byFunction: { name: string; pct: number }[];
}

/** Starts the profiler in the server process; writes the profile on exit (the inspector answers synchronously). */
const preload = (dir: string) => `
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
const session = new Session();
session.connect();
session.post("Profiler.setSamplingInterval", { interval: 500 });
session.post("Profiler.enable");
session.post("Profiler.start");
process.on("exit", () => {
  session.post("Profiler.stop", (error, result) => {
    if (!error) writeFileSync(${JSON.stringify(dir)} + "/" + process.pid + ".cpuprofile", JSON.stringify(result.profile));
  });
});
`;

/** Env for benchApp that makes the instance write a CPU profile on exit, and the reader. */
export function profiling() {
  const dir = mkdtempSync(join(tmpdir(), "qrl-bench-prof-"));
  writeFileSync(join(dir, "preload.mjs"), preload(dir));
  return {
    env: { NODE_OPTIONS: `--import ${join(dir, "preload.mjs")}` },
    summary(): ProfileSummary | undefined {
      try {
        const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
        return file ? summarize(JSON.parse(readFileSync(join(dir, file), "utf8"))) : undefined;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn === "(garbage collector)" ? "(gc)" : "(native/V8)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg === "next") {
    const part = /next\/dist\/(compiled\/[^/]+|server\/[^/]+|[^/]+)/.exec(url)?.[1];
    return `next (${part ?? "?"})`;
  }
  if (pkg) return pkg;
  if (url.startsWith("node:"))
    return url
      .replace(/^node:(internal\/)?/, "node:")
      .replace(/^node:deps\/undici.*/, "node:undici (fetch, web streams)");
  if (url.includes("/.next")) return "app bundle (.next/server)";
  return url.replace(/^file:\/\/\/work\/main\//, "");
}

function summarize(profile: {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  const pkgs = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") continue;
    total += us;
    const pkg = packageOf(url, functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${pkg}:${lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, pct: Math.round((us / total) * 1000) / 10 }));
  return {
    sampledMs: Math.round(total / 1000),
    byPackage: top(pkgs, 12),
    byFunction: top(fns, 15),
  };
}
