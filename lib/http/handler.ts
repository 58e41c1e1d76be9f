import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { type Approver, authenticateApprover } from "../auth/approver";
import { logger } from "../log";
import { metrics } from "../metrics";
import { StoreUnavailableError } from "../store/kv";
import { TicketActionError } from "../tickets/service";
import { ApiError, errorResponse, invalidStateError } from "./errors";
import { logPath } from "./log-path";
import { readCapped } from "./read-capped";

export const MAX_BODY_BYTES = 8 * 1024;

/**
 * A request as the API's handlers see it: plain web types, so the same route
 * runs inside Next.js and in server.mjs's fast path (lib/server/), which
 * builds this without Next.js's per-request cost.
 */
export interface ApiRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** Aborts when the client goes away (ends a held long-poll). */
  signal: AbortSignal;
  body: ReadableStream<Uint8Array> | null;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

type Auth = "approver" | undefined;

interface Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends Auth> {
  params?: P;
  query?: Q;
  body?: B;
  /** "approver": only a phone session (PROTOCOL v2) may call it; the handler gets `approver`. */
  auth?: A;
}

export interface Input<P, Q, B, A extends Auth> {
  req: ApiRequest;
  params: P;
  query: Q;
  body: B;
  approver: A extends "approver" ? Approver : undefined;
}

export interface Route {
  /** The Next.js route handler. */
  (req: NextRequest, context: RouteContext): Promise<Response>;
  /** The same route for a request that did not come through Next.js; `params` from its path. */
  serve(req: ApiRequest, params: Record<string, string>): Promise<Response>;
}

/**
 * Wraps a route handler: caps the body size, parses params, query and JSON
 * body with zod, authenticates the approver when asked, and turns every failure
 * into the error shape of PROTOCOL.md. Nothing internal (stack, Redis
 * message) ever reaches the client.
 */
export function route<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
  A extends Auth = undefined,
>(
  spec: Spec<P, Q, B, A>,
  handle: (input: Input<z.output<P>, z.output<Q>, z.output<B>, A>) => Promise<Response>,
): Route {
  const serve = async (req: ApiRequest, rawParams: unknown): Promise<Response> => {
    try {
      const declared = Number(req.headers.get("content-length") ?? 0);
      if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large");
      const params = spec.params ? parse(spec.params, rawParams) : undefined;
      const query = spec.query
        ? parse(spec.query, Object.fromEntries(req.url.searchParams))
        : undefined;
      const body = spec.body ? parse(spec.body, await readJson(req)) : undefined;
      const approver = spec.auth === "approver" ? await authenticateApprover(req) : undefined;
      return await handle({ req, params, query, body, approver } as Input<
        z.output<P>,
        z.output<Q>,
        z.output<B>,
        A
      >);
    } catch (error) {
      return errorResponse(toApiError(error, req.url.pathname));
    }
  };
  const next = async (req: NextRequest, context: RouteContext) =>
    serve(
      {
        method: req.method,
        url: req.nextUrl,
        headers: req.headers,
        signal: req.signal,
        body: req.body,
      },
      await context.params,
    );
  return Object.assign(next, { serve });
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];
type Handler = (req: NextRequest, context: RouteContext) => Response | Promise<Response>;

/**
 * A route's exports for every method: the ones it serves, and for the rest a
 * 405 in the error shape whose `Allow` lists the served ones (Next.js's own
 * 405 has an empty body). `export const { GET, POST, PUT, PATCH, DELETE, HEAD,
 * OPTIONS } = methods({ GET, POST })`.
 */
export function methods(served: Partial<Record<Exclude<Method, "HEAD">, Handler>>) {
  const allowed = Object.keys(served) as Method[];
  if (served.GET) allowed.splice(allowed.indexOf("GET") + 1, 0, "HEAD");
  const refuse: Handler = () =>
    errorResponse(new ApiError("method_not_allowed", undefined, { Allow: allowed.join(", ") }));
  const all = { ...served, HEAD: served.GET } as Partial<Record<Method, Handler>>;
  return Object.fromEntries(METHODS.map((m) => [m, all[m] ?? refuse])) as Record<Method, Handler>;
}

/** Parses input with zod; a failure is a 400 naming the first bad field. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw new ApiError("invalid_request", `Invalid request: ${where}${issue?.message ?? "invalid"}`);
}

/** Reads at most MAX_BODY_BYTES (whatever Content-Length claimed) and parses it as JSON. */
async function readJson(req: ApiRequest): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError("unsupported_media_type");
  const bytes = await readCapped(req.body, MAX_BODY_BYTES);
  if (!bytes) throw new ApiError("payload_too_large");
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new ApiError("invalid_json");
  }
}

/** Any failure as the ApiError the client sees; store and unexpected failures are logged. */
export function toApiError(error: unknown, path: string): ApiError {
  if (ApiError.is(error)) return error;
  if (TicketActionError.is(error)) {
    return error.code === "invalid_state"
      ? invalidStateError(error.state)
      : new ApiError(error.code);
  }
  if (StoreUnavailableError.is(error)) {
    metrics().storeErrors.inc();
    logger().error({ err: error.message, path: logPath(path) }, "store unavailable");
    return new ApiError("store_unavailable", undefined, { "Retry-After": "1" });
  }
  logger().error({ err: error, path: logPath(path) }, "unhandled error");
  return new ApiError("internal_error");
}
