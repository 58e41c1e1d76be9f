import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { status } from "@/app/api/qr/[ticketId]/status";
import { TICKET_ID } from "@/lib/tickets/patterns";
import type { ApiRequest } from "../http/handler";
import { BASE_HEADERS } from "../http/response";

const STATUS_PATH = /^\/api\/qr\/([^/?#]+)(?:\?|$)/;

/**
 * The status read and long-poll served straight from the node:http server,
 * skipping Next.js's per-request work (which costs ~30× the status logic
 * itself: see BENCHMARKS.md). It runs the very route Next.js runs
 * (app/api/qr/[ticketId]/status.ts), and takes only `GET /api/qr/{id}` whose
 * segment IS a ticket id by the pattern the route's own schema checks
 * (`ticketParams` is `TICKET_ID`): anything else (another route under
 * /api/qr/, a malformed id) goes to Next.js. The route then parses it once.
 * Returns false when the request is not one it serves.
 */
export async function serveStatus(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET") return false;
  const segment = STATUS_PATH.exec(req.url ?? "")?.[1];
  const ticketId = segment ? decode(segment) : null;
  if (!ticketId || !TICKET_ID.test(ticketId)) return false;

  // An AbortSignal is costly to make (Node makes it transferable): only a poll
  // that waits asks for one.
  let controller: AbortController | undefined;
  const request: ApiRequest = {
    method: "GET",
    url: new URL(req.url ?? "/", "http://localhost"),
    headers: toHeaders(req.headers),
    get signal() {
      if (!controller) {
        const made = new AbortController();
        controller = made;
        if (res.destroyed && !res.writableFinished) made.abort();
        else {
          res.once("close", () => {
            if (!res.writableFinished) made.abort();
          });
        }
      }
      return controller.signal;
    },
    body: null,
  };
  await send(res, await status.serve(request, { ticketId }));
  return true;
}

/** Writes a web Response to a node:http response, with the headers every response carries. */
export async function send(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
  res.end(await response.text());
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function toHeaders(raw: IncomingMessage["headers"]): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, v);
    }
  }
  return headers;
}
