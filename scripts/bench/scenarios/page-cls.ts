import type { Browser, Page } from "@playwright/test";
import { answer, parseScanUrl, scan, signIn } from "../../phone";
import { progress } from "../progress";
import { QR_SELECTOR } from "./page";

/**
 * Cumulative Layout Shift on /login over a flow that walks its states, in
 * Chromium (PerformanceObserver `layout-shift`): skeleton → QR → scanned →
 * denied (the phone's doing: no input on the page) → "Get a new code" →
 * scanned → Cancel → "Get a new code" → scanned → approved → signing in →
 * home. CLS is web-vitals' figure: the largest session window (shifts less
 * than 1 s apart, at most 5 s long) of shifts without recent input.
 */

// Runs before the page's scripts on every document of the flow; /login's shifts are kept in
// sessionStorage, so they are still there after the sign-in has moved the tab to the home page.
const OBSERVER = `(() => {
  if (location.pathname !== "/login") return;
  const shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      shifts.push({ t: e.startTime, v: e.value });
      sessionStorage.setItem("bench-cls", JSON.stringify(shifts));
    }
  }).observe({ type: "layout-shift", buffered: true });
  sessionStorage.setItem("bench-cls", "[]");
})();`;

/** web-vitals' CLS from the shifts: the largest session window. */
export function clsOf(shifts: { t: number; v: number }[]): number {
  let best = 0;
  let window = 0;
  let first = -Infinity;
  let last = -Infinity;
  for (const s of [...shifts].sort((a, b) => a.t - b.t)) {
    if (s.t - last < 1000 && s.t - first < 5000) window += s.v;
    else {
      window = s.v;
      first = s.t;
    }
    last = s.t;
    best = Math.max(best, window);
  }
  return best;
}

const STATUS = 'main [role="status"]';

const statusIs = (page: Page, text: RegExp) =>
  page.locator(STATUS, { hasText: text }).waitFor({ timeout: 15_000 });

/** One walk through every state; returns the page's CLS. */
export async function clsWalk(browser: Browser, appUrl: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    /** The tickets the page created, each with its QR's URL (the first QR's token included). */
    const tickets: { ticketId: string; scanUrl: string }[] = [];
    page.on("response", async (res) => {
      if (res.request().method() === "POST" && new URL(res.url()).pathname === "/api/qr") {
        const body = (await res.json().catch(() => null)) as {
          ticketId?: string;
          scanUrl?: string;
        } | null;
        if (body?.ticketId && body.scanUrl) {
          tickets.push({ ticketId: body.ticketId, scanUrl: body.scanUrl });
        }
      }
    });
    const { token } = await signIn(appUrl, "alice", "wonderland");
    const nextTicket = async (n: number) => {
      await page.waitForSelector(QR_SELECTOR, { timeout: 15_000 });
      while (tickets.length < n) await page.waitForTimeout(20);
      return tickets[n - 1] ?? { ticketId: "", scanUrl: "" };
    };
    /** The phone scans the QR the page showed, with its token. */
    const scanned = async ({ scanUrl }: { scanUrl: string }) => {
      progress.requests++;
      const { ticketId, qrToken } = parseScanUrl(scanUrl, appUrl);
      await scan(appUrl, ticketId, token, qrToken);
      await statusIs(page, /Scanned by/);
    };

    await page.addInitScript(OBSERVER);
    await page.goto(`${appUrl}/login`, { waitUntil: "load" });
    await scanned(await nextTicket(1));
    await answer(appUrl, tickets[0]?.ticketId ?? "", token, "deny");
    await statusIs(page, /declined/);
    await page.getByRole("button", { name: "Get a new code" }).click();
    await scanned(await nextTicket(2));
    await page.getByRole("button", { name: "Cancel" }).click();
    await statusIs(page, /Cancelled/);
    await page.getByRole("button", { name: "Get a new code" }).click();
    const last = await nextTicket(3);
    await scanned(last);
    await answer(appUrl, last.ticketId, token, "confirm");
    // Alice never signed in on this browser: "Continue as Alice Liddell?" (issue 21.2).
    await page.getByRole("button", { name: "Continue", exact: true }).click({ timeout: 15_000 });
    await page.waitForURL(`${appUrl}/`, { timeout: 15_000 });
    const shifts = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem("bench-cls"))) ?? "[]",
    ) as { t: number; v: number }[];
    return clsOf(shifts);
  } finally {
    await context.close();
  }
}
