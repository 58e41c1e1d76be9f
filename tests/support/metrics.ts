import { expect } from "vitest";
import type { AppServer } from "./app-server";

/** The bearer token tests start apps with (METRICS_TOKEN) to read /api/metrics. */
export const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

export const scrape = async (app: AppServer) =>
  (
    await fetch(`${app.url}/api/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    })
  ).text();

/** One series' value in a scrape (0 when absent). */
export const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(" ")[1]) : 0;
};

/** Returns once `app` holds `count` status long-polls: the request is waiting, not on its way. */
export async function untilWaiting(app: AppServer, count: number) {
  await expect
    .poll(async () => value(await scrape(app), "qrl_longpolls_waiting"), {
      timeout: 10_000,
      interval: 20,
    })
    .toBe(count);
}
