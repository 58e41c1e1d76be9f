import { readFileSync } from "node:fs";

/** Command-line options of `npm run bench`. */

export const SCENARIOS = [
  "status",
  "logins",
  "latency",
  "capacity",
  "signout",
  "passwords",
  "page",
  "profile",
  "topology",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Run only when named with --only (a minute or two each, and they kill processes). */
export const OPT_IN = ["topology"] as const satisfies Scenario[];
const byDefault = (s: Scenario) => !(OPT_IN as readonly Scenario[]).includes(s);

export interface Options {
  quick: boolean;
  build: boolean;
  only: Scenario[];
  /** Write BENCHMARKS.json and the table in BENCHMARKS.md (default: only for a full run of every scenario). */
  write: boolean;
  /** Run nothing: only re-write the table in BENCHMARKS.md from BENCHMARKS.json. */
  render: boolean;
  /** A checkout of the previous version, built: status, logins, latency and capacity run on it too. */
  baseline?: string;
  /** Waiting desktops per capacity level (--levels), instead of the mode's. */
  levels?: number[];
}

/** The scenarios that --baseline also runs on the previous build. */
export const COMPARED = ["status", "logins", "latency", "capacity"] as const satisfies Scenario[];
export type Compared = (typeof COMPARED)[number];

export const USAGE = `Usage: npm run bench -- [--quick] [--no-build] [--only=${SCENARIOS.join(",")}] [--write|--no-write]
                        [--baseline=<dir>] [--levels=1000,5000,10000] | --render

  --quick           every scenario but profile, smaller (under a minute after the build)
  --no-build        use the existing production build (NEXT_DIST_DIR or .next)
  --only=a,b        run only these scenarios
  --write           write BENCHMARKS.json and the table in BENCHMARKS.md, between its
                    <!-- bench:table:start --> and <!-- bench:table:end --> markers
                    (default for a full run of all scenarios); the prose around it is
                    written by hand after reading the run
  --baseline=<dir>  also run ${COMPARED.join(", ")} on the previous build,
                    each right after this build's: <dir> is a checkout of the previous
                    version (git worktree add) with node_modules, built there by
                    \`npm run build\` into <dir>/.next; its results go to "baseline" in
                    BENCHMARKS.json and a "previous build" column in the table
  --levels=a,b      capacity: these numbers of waiting desktops (default 1000,5000,10000);
                    each holds a socket in the app and one in the bench, so a level must
                    fit the open-file limit (checked before anything runs)
  --render          run nothing: re-write the table in BENCHMARKS.md from BENCHMARKS.json

  passwords: password sign-ins (argon2id) per second and per core of the app,
  beside the QR logins per core.
  profile: short extra runs of status and logins with V8's profiler on in the app,
  for where its CPU goes (their throughput is not reported).
  topology (opt-in, only with --only=topology): nginx + two instances under steady
  logins through a rolling restart, a crash, a Sentinel and a Cluster failover.`;

export function parseOptions(argv: string[]): Options {
  const o: Options = {
    quick: false,
    build: true,
    only: [],
    write: false,
    render: false,
  };
  let write: boolean | undefined;
  for (const arg of argv) {
    if (arg === "--quick") o.quick = true;
    else if (arg === "--no-build") o.build = false;
    else if (arg === "--write") write = true;
    else if (arg === "--no-write") write = false;
    else if (arg === "--render") o.render = true;
    else if (arg.startsWith("--baseline=") && arg.length > 11) o.baseline = arg.slice(11);
    else if (arg.startsWith("--levels=")) o.levels = parseLevels(arg.slice(9));
    else if (arg.startsWith("--only=")) {
      const names = arg.slice(7).split(",");
      const unknown = names.filter((n) => !SCENARIOS.includes(n as Scenario));
      if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")}\n${USAGE}`);
      o.only = names as Scenario[];
    } else if (arg === "--help" || arg === "-h") throw new Error(USAGE);
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (o.render && o.baseline)
    throw new Error(`--render runs nothing; --baseline is for a run\n${USAGE}`);
  if (o.only.length === 0)
    o.only = SCENARIOS.filter((s) => byDefault(s) && (!o.quick || s !== "profile"));
  o.write = write ?? (!o.quick && SCENARIOS.filter(byDefault).every((s) => o.only.includes(s)));
  return o;
}

/** Sizes per mode: --quick stays under a minute on 2 cores; the full run under 10. */
export function sizes(quick: boolean) {
  return quick
    ? {
        status: { runs: 3, seconds: 1, connections: 50 },
        logins: { runs: 3, seconds: 2, concurrency: 16 },
        latency: { logins: 20, concurrency: 10, warmup: 4 },
        capacity: { levels: [500], idleMs: 1000, holdMs: 1000, phoneConcurrency: 64 },
        signout: { signOuts: 20 },
        passwords: { runs: 1, seconds: 2, concurrency: 4 },
        page: { loads: 3, clsWalks: 1 },
        profile: { seconds: 3 },
        topology: { perSecond: 10, before: 10, after: 10 },
      }
    : {
        status: { runs: 3, seconds: 4, connections: 50 },
        logins: { runs: 3, seconds: 8, concurrency: 16 },
        latency: { logins: 200, concurrency: 20, warmup: 8 },
        capacity: {
          levels: [1000, 5000, 10000],
          idleMs: 2000,
          holdMs: 25_000,
          phoneConcurrency: 64,
        },
        signout: { signOuts: 200 },
        passwords: { runs: 3, seconds: 5, concurrency: 4 },
        page: { loads: 5, clsWalks: 3 },
        profile: { seconds: 3 },
        topology: { perSecond: 20, before: 100, after: 100 },
      };
}

/** `--levels=1000,50000`: positive integers, each within this machine's open-file limit. */
function parseLevels(list: string): number[] {
  const levels = list.split(",").map(Number);
  if (levels.length === 0 || !levels.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--levels takes positive whole numbers, e.g. --levels=1000,5000\n${USAGE}`);
  const limit = openFileLimit();
  // The app's sockets, plus its files, Redis and database connections, and the bench's own.
  const tooMany = levels.filter((n) => limit !== undefined && n + 1024 > limit);
  if (tooMany.length)
    throw new Error(
      `--levels=${tooMany.join(",")}: each waiting desktop holds an open socket in the app (and one in the bench), past this machine's open-file limit of ${limit} per process (hard limit; \`ulimit -n\` cannot raise it past that). Raise the hard limit first (limits.conf, systemd's LimitNOFILE, or the container's nofile ulimit).`,
    );
  return levels;
}

/** The hard limit on open files per process (Linux), or undefined where it cannot be read. */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const hard = line?.trim().split(/\s+/)[4];
    return hard && /^\d+$/.test(hard) ? Number(hard) : undefined;
  } catch {
    return undefined;
  }
}
