import type { ProfileSummary } from "./profile";
import type { Results } from "./report";
import { int, ms, pct, round } from "./stats";

/**
 * BENCHMARKS.md: the table, the machine, and what limits each figure. The
 * figures are this run's; the explanations come from the profiled runs and
 * the page's own timeline, also measured in this run.
 */

const top = (p: ProfileSummary | undefined, n: number) =>
  p
    ? p.byPackage
        .slice(0, n)
        .map((x) => `${x.name} ${x.pct} %`)
        .join(", ")
    : "";

const share = (p: ProfileSummary | undefined, match: RegExp) =>
  p ? round(p.byPackage.filter((x) => match.test(x.name)).reduce((n, x) => n + x.pct, 0)) : NaN;

function logins(r: Results): string {
  const l = r.logins;
  if (!l) return "";
  const cpu = l.runs.map((x) => `${Math.round(x.serverCpuPct)} %`).join(", ");
  const client = l.runs.map((x) => `${Math.round(x.clientCpuPct)} %`).join(", ");
  const p = r.profile?.logins;
  return `### 1. Full logins

${l.loginsPerSecond} complete logins/s on one instance (${l.concurrency} at a time; runs: ${l.runs.map((x) => x.perSecond).join(", ")}), ${l.errors} errors. A login is eight requests: create, scan, confirm, next-auth's CSRF token and the callback (the claim) through Next.js, and two long-polls (woken by the scan, then by the confirm) through server.mjs's fast path, so this is about ${int(l.loginsPerSecond * 6)} Next.js requests/s. The app process used ${cpu} of one core in the runs and the load generator ${client}; the rest of the two cores went to Redis, the kernel's loopback and whatever else ran on the machine. The wake itself is cheap (p50 ${ms(l.steps.wake.p50)}); every other step costs about one loaded Next.js request.${
    p
      ? `

Where the app's CPU goes during logins (profiled run): ${top(p, 8)}. zlib's share (${share(p, /zlib/)} %) is gzip of JSON responses: Next.js compresses every route-handler response when the client sends \`Accept-Encoding\` (browsers always do), because a streamed response has no Content-Length and the compression middleware's 1 kB threshold never applies; bodies of ~100 bytes come out larger. Native write and GC time follow from the request count.`
      : ""
  }`;
}

function status(r: Results): string {
  const s = r.status;
  if (!s) return "";
  const p = r.profile?.status;
  return `### 2. Status request cost

Plain status (\`GET /api/qr/{id}\` with the binding cookie) ran at ${int(s.perSecond.status)} req/s, the empty route at ${int(s.perSecond.live)} req/s and the bare node:http + ioredis server at ${int(s.perSecond.bare)} req/s (medians of ${s.runs.length} runs of ${s.seconds} s, ${s.connections} connections; the three take turns in each run). Ratios within the same run, median: status / empty route **${pct(s.statusVsLive)}** (target ≥ 80 %), status / bare **${pct(s.statusVsBare)}**, empty route / bare ${pct(s.liveVsBare)}. An empty Next.js route reaches only ${pct(s.liveVsBare)} of the bare server: that is what Next.js spends on any request before and after a route handler. So server.mjs serves the status read itself (lib/fast-path.ts, the same status-request code the Next.js route runs, bundled by \`npm run build\`), and the status read's own work (cookie HMAC, HGETALL, the in-process limiter, JSON, the request log line) is what remains between it and the bare floor. The app's server was CPU-bound (${s.runs.map((x) => `${Math.round(x.status?.serverCpuPct ?? 0)} %`).join(", ")} of a core during the status runs), autocannon was not (${s.runs.map((x) => `${Math.round(x.status?.clientCpuPct ?? 0)} %`).join(", ")}).${
    p
      ? ` Profile of the status route under load: ${top(p, 8)}; the app's own bundle is ${share(p, /app bundle/)} % and ioredis ${share(p, /ioredis/)} %.`
      : ""
  } And the status endpoint is a long-poll: one request per change (or per 25 s) instead of one per second.`;
}

function latency(r: Results): string {
  const w = r.latency;
  if (!w) return "";
  return `### 3. Confirm → desktop

Long-poll with the desktop on instance A and the phone on instance B: p50 ${ms(w.longPoll.p50)}, p99 ${ms(w.longPoll.p99)} (${w.longPoll.n} logins). 1-second polling in the same window: p50 ${ms(w.polling.p50)}, p99 ${ms(w.polling.p99)} (${w.polling.n} logins). Errors: ${w.errors}. The long-poll's answer is the Redis publish (made in the same Lua step as the write) reaching A's one subscriber, which often happens before the phone's own HTTP response is back (hence p50 near zero, min ${ms(w.longPoll.min)}); its p99 is a status read queued behind other requests on a busy 2-core machine. Polling waits half an interval on average plus a request, and up to the whole interval.`;
}

function capacity(r: Results): string {
  const levels = r.capacity;
  if (!levels?.length) return "";
  const lines = levels.map((c) => {
    const perDesktopKb = ((c.waiting.rssMb - c.idle.rssMb) * 1024) / c.desktops;
    return `- **${int(c.desktops)} waiting**: created in ${c.createSeconds} s; server CPU ${c.idle.cpuPct} % idle, ${c.waiting.cpuPct} % while they waited (${c.waiting.holdSeconds} s, ${c.waiting.serverFds} open descriptors, ${c.waiting.reissues} long-polls re-issued after 25 s over the level); RSS ${int(c.idle.rssMb)} → ${int(c.waiting.rssMb)} MiB (≈ ${round(perDesktopKb)} kB per waiting desktop) → ${int(c.burst.rssMb)} MiB after the burst. Burst: ${int(c.burst.approved)} of ${int(c.desktops)} approved in ${c.burst.seconds} s (${int(c.burst.approvalsPerSecond)}/s), wake p50 ${ms(c.burst.wake.p50)}, p99 ${ms(c.burst.wake.p99)}, max ${ms(c.burst.wake.max)} (${c.burst.wake.n} desktops woken); errors ${c.errors}, tickets expired before their phone came ${c.expired}${c.errorSamples.length ? ` (e.g. ${c.errorSamples.map((e) => `"${e}"`).join(", ")})` : ""}.`;
  });
  const worst = levels.at(-1);
  const overloaded = levels.filter((c) => c.errors > 0 || c.expired > 0 || c.waiting.cpuPct > 80);
  return `### 4. Waiting capacity (one instance)

${lines.join("\n")}

A held long-poll costs memory (a socket, its request objects, a timer, a waiter): about the per-desktop figure above, so ${int(worst?.desktops)} waiting desktops took ${int(worst?.waiting.rssMb)} MiB. Its CPU cost is the 25-s cycle: every waiting desktop's poll times out and comes back, so N waiting desktops are a steady N / 25 status requests/s (${int((worst?.desktops ?? 0) / 25)}/s at ${int(worst?.desktops)}); served by server.mjs's fast path, not by Next.js, each costs a fraction of a Next.js request. ${
    overloaded.length
      ? `At ${overloaded.map((c) => int(c.desktops)).join(" and ")} that alone (${overloaded.map((c) => `${c.waiting.cpuPct} %`).join(", ")} of a core) leaves little or nothing for the approvals: the burst crawls, pending tickets run out (120 s) before their phones reach them, and the event loop falls so far behind that the store's 800-ms command timer fires although Redis answers at once: the app then answers 503 store_unavailable (errors above). The limit is the instance's one core, not Redis.`
      : "No level saturated the instance."
  } The burst is bounded by request throughput: each approval is a scan and a confirm through Next.js, and each wakes a desktop, which re-polls; a negative wake time means the desktop was woken (through Redis pub/sub) before the phone's own confirm response had come back.`;
}

function page(r: Results): string {
  const p = r.page;
  if (!p) return "";
  const last = p.samples.at(-1);
  const create = last?.fetches.find((f) => f.path === "/api/qr");
  const session = last?.fetches.find((f) => f.path === "/api/auth/session");
  const floor = p.composition
    .filter((c) => /React DOM|Next\.js|Turbopack/.test(c.what))
    .reduce((n, c) => n + c.kb, 0);
  return `### 5. The login page

/login downloads ${p.jsEncodedKb} kB of JavaScript compressed (gzip; ${int(p.jsDecodedKb)} kB uncompressed, ${p.jsFiles} files) against a target of 150 kB. By what the chunks hold: ${p.composition.map((c) => `${c.what} ${c.kb} kB`).join(", ")}. React DOM, the Next.js client runtime and Turbopack's runtime (${round(floor)} kB) are the floor of any App Router page; a 404 page already loads ${p.notFoundJsKb} kB, because the root layout's \`Providers\` puts TanStack Query on every page; the page's own code and qrcode.react are the rest. next-auth/react is no longer shipped (the page talks to next-auth with two fetches), which took about 8 kB off; what still stands over the target is TanStack Query, which the project's stack prescribes for the login page's polling loop.

The QR was drawn ${ms(p.qrDrawnMs)} after navigation start (median of ${p.loads} cold loads; first contentful paint ${ms(p.fcpMs)}; ${p.browser}). In the last load the scripts had arrived by ${ms(last?.lastScriptEndMs)}, the page's \`POST /api/qr\` started at ${ms(create?.startMs)} (after hydration: it runs in an effect) and returned at ${ms(create?.endMs)}${session ? `, while \`SessionProvider\` fetched /api/auth/session at the same moment (${ms(session.startMs)}–${ms(session.endMs)})` : ""}, and the QR followed at ${ms(last?.qrDrawnMs)}. The chain download → hydrate → create → render is serial, so the time is the sum of the three, each slower on a 2-core machine that also runs the server.`;
}

export function reading(r: Results, table: string): string {
  const m = r.machine;
  const load = `${m.loadAverage.start}${m.loadAverage.end === undefined ? "" : ` → ${m.loadAverage.end}`}`;
  return `# Benchmarks

\`npm run bench\` (${r.mode} run, ${m.date.slice(0, 10)}): a production build (\`next build\`), its own \`redis-server\`, app instances started by \`node server.mjs\` on loopback, and the load generated from a separate process (the bench: autocannon, fetch, headless Chromium). Throughputs are medians of repeated runs; ratios are taken within one run. It reports, it does not pass or fail.

${table}

**Machine:** ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.os} (kernel ${m.kernel}); Node ${m.node}, Redis ${m.redis}, Next.js ${m.next}, next-auth ${m.nextAuth}. Load average (1 min) at start → end: ${load} (the machine is shared; absolute figures move with it, ratios less). Build ${r.buildSeconds ?? "—"} s, scenarios ${r.benchSeconds ?? "—"} s.

## Reading

${[logins(r), status(r), latency(r), capacity(r), page(r)].filter(Boolean).join("\n\n")}

## Reproduce

\`\`\`sh
npm run bench                      # full run (< 10 min on 2 cores), writes BENCHMARKS.md/json
npm run bench -- --quick           # every scenario, small (< 1 min after the build), writes nothing
npm run bench -- --no-build --only=status,page
\`\`\`
`;
}
