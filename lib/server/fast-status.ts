import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { status } from "@/app/api/qr/[ticketId]/status";
import { TICKET_ID } from "@/lib/tickets/patterns";
import { type ApiRequest, Reply } from "../http/handler";
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
  const answered = await status.answer(request, { ticketId });
  if (answered instanceof Reply) sendReply(res, answered);
  else await send(res, answered);
  return true;
}

/** Writes a route's success answer as it is: no Response made, no body read back. */
function sendReply(res: ServerResponse, reply: Reply) {
  head(res, reply.status, reply.headers);
  res.end(reply.body ?? undefined);
}

/** The status and headers, with the headers every response carries (each Set-Cookie kept). */
function head(res: ServerResponse, status: number, headers: Headers) {
  res.statusCode = status;
  headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
}

/** Writes a web Response to a node:http response, with the headers every response carries. */
export async function send(res: ServerResponse, response: Response) {
  head(res, response.status, response.headers);
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
