import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { statusResponse } from "./tickets/status-request";

/**
 * The status read and long-poll served straight from server.mjs's node:http
 * server, skipping Next.js's per-request work (which costs ~30× the status
 * logic itself: see BENCHMARKS.md). It is the same function the Next.js route
 * runs (status-request.ts), bundled by scripts/build-fast-path.mjs; every
 * other request goes to Next.js. Returns false when the request is not a
 * status read.
 */
const STATUS_PATH = /^\/api\/qr\/([^/]+)$/;

export async function handleStatus(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET") return false;
  const url = new URL(req.url ?? "/", "http://localhost");
  const segment = STATUS_PATH.exec(url.pathname)?.[1];
  if (!segment || segment === "lookup") return false;

  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, v);
    }
  }
  const response = await statusResponse({
    ticketId: safeDecode(segment),
    search: url.searchParams,
    headers,
    signal: controller.signal,
    path: url.pathname,
  });
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  // What next.config.mjs adds to every Next.js response.
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.end(await response.text());
  return true;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
