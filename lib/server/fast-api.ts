import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { API_ROUTES } from "@/app/api/routes";
import { type ApiRequest, Reply, type Route } from "../http/handler";
import { BASE_HEADERS } from "../http/response";

/** One API path of app/api/routes.ts: its pattern, its parameters' names, the routes it serves by method. */
interface Entry {
  pattern: RegExp;
  names: string[];
  routes: Partial<Record<string, Route>>;
}

const SERVED = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every API path, the ones with fewer parameters first: a fixed segment wins, as in Next.js. */
function table(skip: (path: string, method: string) => boolean): Entry[] {
  return Object.entries(API_ROUTES)
    .map(([path, exports]) => {
      const names: string[] = [];
      // Fixed parts literally (the "." of openapi.json too), each {name} one segment.
      const source = path
        .split(/(\{\w+\})/)
        .map((part) => {
          const name = /^\{(\w+)\}$/.exec(part)?.[1];
          if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(name);
          return "([^/]+)";
        })
        .join("");
      const pattern = new RegExp(`^${source}$`);
      const routes: Entry["routes"] = {};
      for (const method of SERVED) {
        const handler = exports[method];
        // `methods()` puts a plain 405 handler where a route serves no such method.
        if (typeof handler === "function" && "answer" in handler && !skip(path, method)) {
          routes[method] = handler as Route;
        }
      }
      return { pattern, names, routes };
    })
    .sort((a, b) => a.names.length - b.names.length);
}

/**
 * The JSON API served straight from the node:http server, without Next.js's
 * per-request work (many times what a route itself costs: see BENCHMARKS.md):
 * every route of app/api/routes.ts runs its own `route()` wrapper (the same
 * spec, checks and error shape as under Next.js), found by its OpenAPI path.
 * Next.js keeps what the table does not name: next-auth (/api/auth/*), an
 * unknown path (its JSON 404), a method the path does not serve (its 405 with
 * Allow), a malformed escape. `skip` leaves chosen routes to Next.js too.
 */
export function fastApi(skip: (path: string, method: string) => boolean = () => false) {
  const entries = table(skip);
  /** Serves the request when it is one of the API's; false when Next.js should. */
  return async function serveApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const raw = req.url ?? "";
    if (!raw.startsWith("/api/") || raw.startsWith("/api/auth/")) return false;
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "");
    const path = raw.split("?", 1)[0] ?? "";
    let found: { route: Route; params: Record<string, string> } | null = null;
    for (const entry of entries) {
      const match = entry.pattern.exec(path);
      if (!match) continue;
      const route = entry.routes[method];
      if (!route) return false;
      const params: Record<string, string> = {};
      for (const [i, name] of entry.names.entries()) {
        const value = decode(match[i + 1] ?? "");
        if (value === null) return false;
        params[name] = value;
      }
      found = { route, params };
      break;
    }
    if (!found) return false;
    const answered = await found.route.answer(apiRequest(req, res, raw), found.params);
    if (answered instanceof Reply) {
      head(res, answered.status, answered.headers);
      res.end(answered.body ?? undefined);
    } else await send(res, answered);
    return true;
  };
}

/** The request as routes see it; its signal and body are made only when a route asks. */
function apiRequest(req: IncomingMessage, res: ServerResponse, raw: string): ApiRequest {
  let controller: AbortController | undefined;
  let body: ReadableStream<Uint8Array> | null | undefined;
  return {
    method: req.method ?? "GET",
    url: new URL(raw, "http://localhost"),
    headers: toHeaders(req.headers),
    // An AbortSignal is costly to make (Node makes it transferable): only a poll that waits asks.
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
    get body() {
      body ??=
        req.method === "GET" || req.method === "HEAD"
          ? null
          : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
      return body;
    },
  };
}

/** Writes a web Response to a node:http response, with the headers every response carries. */
export async function send(res: ServerResponse, response: Response) {
  head(res, response.status, response.headers);
  res.end(Buffer.from(await response.arrayBuffer()));
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
