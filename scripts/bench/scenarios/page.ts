import { readFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import { progress } from "../progress";
import { benchApp, track } from "../stack";
import { median, round } from "../stats";
import { clsWalk } from "./page-cls";

/**
 * Scenario 5: /login in headless Chromium (Debian's) against the production
 * build: JavaScript bytes downloaded (compressed: the encoded body size of
 * every script, from Resource Timing) and the time from navigation start to
 * the QR <svg> being drawn. Each load uses a fresh context (empty cache); the
 * first load only warms the server and is not counted.
 */

export const QR_SELECTOR = 'svg[role="img"][aria-label*="QR"]';

export const CHROMIUM = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export interface PageLoad {
  /** Navigation start → the frame after the QR's <svg> entered the DOM. */
  qrDrawnMs: number;
  qrInsertedMs: number;
  fcpMs: number;
  domContentLoadedMs: number;
  jsFiles: number;
  jsEncodedBytes: number;
  jsTransferBytes: number;
  jsDecodedBytes: number;
  htmlEncodedBytes: number;
  /** The page's POST /api/qr (the QR cannot be drawn before it answers). */
  createStartMs: number;
  createEndMs: number;
  lastScriptEndMs: number;
  files: { path: string; encoded: number; decoded: number }[];
  /** The page's own API calls, in order (what runs before and beside the create). */
  fetches: { path: string; startMs: number; endMs: number }[];
  encodings: string[];
}

/** What a chunk holds, told by markers in its text (names are content hashes). */
const LIBRARIES: [RegExp, string][] = [
  [/next-auth/, "next-auth/react"],
  [/QueryClient|queryHash/, "TanStack Query"],
  [/alphanumeric mode/, "qrcode.react + the page's components"],
  [/hydrateRoot|unstable_scheduleCallback/, "React DOM"],
  [
    /RSC|app router|createRenderParamsFromClient|nextjs|A server error occurred/,
    "Next.js client runtime",
  ],
];

/** Every library a chunk holds, by markers in its text (names are content hashes). */
function label(path: string): string {
  if (path.includes("turbopack")) return "Turbopack runtime";
  const dist = process.env.NEXT_DIST_DIR || ".next";
  try {
    const text = readFileSync(`${dist}/${path.replace(/^\/_next\//, "")}`, "utf8");
    const found = LIBRARIES.filter(([marker]) => marker.test(text)).map(([, name]) => name);
    // React DOM's and Next's chunks mention each other; an app library names its chunk.
    const own = found.filter((n) => n !== "React DOM" && n !== "Next.js client runtime");
    return (own.length ? own : found.slice(0, 1)).join(" + ") || "other";
  } catch {
    return "unknown (not in the build folder)";
  }
}

/** The scripts of one load by what they hold, compressed kB, largest first. */
export function composition(files: { path: string; encoded: number }[]) {
  const byWhat = new Map<string, number>();
  for (const f of files) {
    const what = label(f.path);
    byWhat.set(what, (byWhat.get(what) ?? 0) + f.encoded);
  }
  return [...byWhat]
    .sort((a, b) => b[1] - a[1])
    .map(([what, bytes]) => ({ what, kb: round(bytes / 1024) }));
}

export interface PageResult {
  loads: number;
  /** Every page's JS: a 404 page has the framework and the root layout's providers only. */
  notFoundJsKb: number;
  /** The last load's scripts by what they hold, compressed kB, largest first. */
  composition: { what: string; kb: number }[];
  browser: string;
  samples: PageLoad[];
  qrDrawnMs: number;
  fcpMs: number;
  jsEncodedKb: number;
  jsDecodedKb: number;
  jsFiles: number;
  /** Cumulative Layout Shift over a walk through every state of /login (median of the walks). */
  cls: number;
  clsWalks: number[];
}

// Runs in the page before its own scripts: notes when the QR appears and the next frame.
const OBSERVER = `(() => {
  const sel = ${JSON.stringify(QR_SELECTOR)};
  new MutationObserver((_, observer) => {
    if (window.__qrInserted || !document.querySelector(sel)) return;
    window.__qrInserted = performance.now();
    requestAnimationFrame(() => { window.__qrDrawn = performance.now(); });
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
})();`;

// A string, not a function: tsx's name helpers (__name) do not exist in the page.
const MEASURE = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const scripts = performance
    .getEntriesByType("resource")
    .filter((e) => e.initiatorType === "script" || /\\.m?js(\\?|$)/.test(e.name));
  const sum = (k) => scripts.reduce((n, e) => n + e[k], 0);
  const create = performance
    .getEntriesByType("resource")
    .find((e) => e.initiatorType === "fetch" && new URL(e.name).pathname === "/api/qr");
  return {
    qrDrawnMs: window.__qrDrawn,
    qrInsertedMs: window.__qrInserted,
    fcpMs: fcp ? fcp.startTime : NaN,
    domContentLoadedMs: nav.domContentLoadedEventEnd,
    jsFiles: scripts.length,
    jsEncodedBytes: sum("encodedBodySize"),
    jsTransferBytes: sum("transferSize"),
    jsDecodedBytes: sum("decodedBodySize"),
    htmlEncodedBytes: nav.encodedBodySize,
    createStartMs: create ? create.startTime : NaN,
    createEndMs: create ? create.responseEnd : NaN,
    lastScriptEndMs: Math.max(0, ...scripts.map((e) => e.responseEnd)),
    fetches: performance
      .getEntriesByType("resource")
      .filter((e) => e.initiatorType === "fetch")
      .map((e) => ({
        path: new URL(e.name).pathname,
        startMs: Math.round(e.startTime),
        endMs: Math.round(e.responseEnd),
      })),
    files: scripts
      .map((e) => ({
        path: new URL(e.name).pathname,
        encoded: e.encodedBodySize,
        decoded: e.decodedBodySize,
      }))
      .sort((a, b) => b.encoded - a.encoded),
  };
})()`;

export async function pageScenario(
  redisUrl: string,
  o: { loads: number; clsWalks?: number },
): Promise<PageResult> {
  progress.begin("5 login page");
  const app = await benchApp(redisUrl);
  const browser = await chromium.launch({ ...CHROMIUM, headless: true });
  const closeBrowser = track(() => browser.close());
  try {
    const samples: PageLoad[] = [];
    let notFoundJsBytes = Number.NaN;
    for (let i = 0; i <= o.loads + 1; i++) {
      const notFound = i === o.loads + 1;
      progress.note(i === 0 ? "warm-up load" : `load ${i}/${o.loads}`);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const encodings = new Set<string>();
        page.on("request", () => {
          progress.requests++;
        });
        page.on("response", (res) => {
          if (res.request().resourceType() === "script") {
            encodings.add(res.headers()["content-encoding"] ?? "identity");
          }
        });
        await page.addInitScript(OBSERVER);
        await page.goto(`${app.url}${notFound ? "/bench-no-such-page" : "/login"}`, {
          waitUntil: "load",
          timeout: 30_000,
        });
        if (notFound) {
          await page.waitForTimeout(500);
          notFoundJsBytes = ((await page.evaluate(MEASURE)) as PageLoad).jsEncodedBytes;
          continue;
        }
        // A function, not a string: the page's CSP forbids eval.
        await page.waitForFunction(() => "__qrDrawn" in window, undefined, { timeout: 15_000 });
        await page.waitForTimeout(500); // chunks loaded after the QR still count
        const m = (await page.evaluate(MEASURE)) as Omit<PageLoad, "encodings">;
        if (i > 0) samples.push({ ...m, encodings: [...encodings] });
      } finally {
        await context.close();
      }
    }
    const clsWalks: number[] = [];
    for (let i = 0; i < (o.clsWalks ?? 1); i++) {
      progress.note(`layout-shift walk ${i + 1}/${o.clsWalks ?? 1}`);
      clsWalks.push(await clsWalk(browser, app.url));
    }
    return {
      cls: round(median(clsWalks), 3),
      clsWalks,
      loads: samples.length,
      notFoundJsKb: round(notFoundJsBytes / 1024),
      composition: composition(samples.at(-1)?.files ?? []),
      browser: `Chromium ${browser.version()}`,
      samples,
      qrDrawnMs: round(median(samples.map((s) => s.qrDrawnMs))),
      fcpMs: round(median(samples.map((s) => s.fcpMs))),
      jsEncodedKb: round(median(samples.map((s) => s.jsEncodedBytes)) / 1024),
      jsDecodedKb: round(median(samples.map((s) => s.jsDecodedBytes)) / 1024),
      jsFiles: median(samples.map((s) => s.jsFiles)),
    };
  } finally {
    await closeBrowser();
    await app.stop();
    progress.end();
  }
}
