import "server-only";
import { timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { type Approver, authenticateApprover } from "../auth/approver";
import { env } from "../env";
import { logger } from "../log";
import { metrics } from "../metrics";
import { StoreUnavailableError } from "../store/kv";
import { TicketActionError } from "../tickets/service";
import { bindingSecret } from "./binding-cookie";
import { ApiError, errorResponse, invalidStateError, refusalOf } from "./errors";
import { logPath } from "./log-path";
import { HTTP_METHODS, type HttpMethod as Method } from "./methods";
import { readCapped } from "./read-capped";
import { isCrossSite } from "./request-info";

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

/**
 * Who may call a route, checked by the wrapper before the handler runs:
 * "approver" a phone session (PROTOCOL v2; the handler gets `approver`),
 * "binding" the browser that created the ticket `params.ticketId` (its
 * binding cookie; the handler gets the secret as `binding`; anything else is
 * the same 404 as an unknown id), "metrics" the METRICS_TOKEN bearer.
 */
type Auth = "approver" | "binding" | "metrics" | undefined;

/** A route's success: its status and the shape of its body (null: no JSON body). */
export type Ok = readonly [status: number, shape: z.ZodType | null];

declare const replied: unique symbol;
/**
 * What a route with `ok` answers: built only by `reply`, so the body is typed
 * by the shape. Not a web Response: Next.js gets one made from it, and the
 * API's fast path (lib/server/fast-api.ts) writes it to the socket as it
 * is, without the ~20 µs a Response and reading its body back cost per request
 * (a tenth of a status read; BENCHMARKS.md).
 */
export class Reply<T = unknown> {
  declare readonly [replied]: T;
  constructor(
    readonly status: number,
    readonly headers: Headers,
    /** The body as sent: JSON text, other text, or none. */
    readonly body: string | null,
  ) {}

  toResponse(): Response {
    return new Response(this.body, { status: this.status, headers: this.headers });
  }
}
/** The body `reply` takes: the shape's input; for a null shape none, or a non-JSON body (text). */
type OkBody<O> = O extends readonly [number, infer S]
  ? S extends z.ZodType
    ? z.input<S>
    : string | null
  : never;
type Answer<O> = O extends Ok ? Reply<OkBody<O>> : Response;

interface Spec<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  A extends Auth,
  O extends Ok | undefined,
> {
  /** One line for the API document (its operations come from these specs, app/api/routes.ts). */
  summary?: string;
  /** The document's group: requester, approver, passkeys, session registry, notices, operations. */
  tag?: string;
  params?: P;
  query?: Q;
  body?: B;
  auth?: A;
  /** Refuse a request another site's page made (403 cross_site) before anything else runs. */
  sameSite?: boolean;
  /**
   * The route's abuse limit, taken once the input parsed and the caller
   * authenticated (so no one else can use up a caller's allowance): rejects
   * with 429 rate_limited and Retry-After, or 503 when the store is down.
   */
  limit?: (input: LimitInput<z.output<P>, A>) => Promise<unknown>;
  /** The success status and body shape; the handler's answer is typed by it. */
  ok?: O;
  /** The error statuses the route answers besides 405 and 500 (the document lists them). */
  errors?: readonly number[];
}

interface LimitInput<P, A extends Auth> {
  req: ApiRequest;
  params: P;
  approver: A extends "approver" ? Approver : undefined;
}

export interface Input<P, Q, B, A extends Auth, O = undefined> {
  req: ApiRequest;
  params: P;
  query: Q;
  body: B;
  approver: A extends "approver" ? Approver : undefined;
  /** The ticket's binding secret (auth "binding"). */
  binding: A extends "binding" ? string : undefined;
  /** The success answer: `ok`'s status with this body (none for a null shape), plus headers. */
  reply: (body: OkBody<O>, headers?: HeadersInit) => Answer<O>;
}

/** A route's spec as the API document reads it. */
export type RouteSpec = Spec<z.ZodType, z.ZodType, z.ZodType, Auth, Ok | undefined>;

export interface Route {
  /** The Next.js route handler. */
  (req: NextRequest, context: RouteContext): Promise<Response>;
  /** The same route for a request that did not come through Next.js; `params` from its path. */
  serve(req: ApiRequest, params: Record<string, string>): Promise<Response>;
  /** As `serve`, with a success answer left as its Reply (the fast path writes it itself). */
  answer(req: ApiRequest, params: Record<string, string>): Promise<Response | Reply>;
  readonly spec: RouteSpec;
}

/**
 * Wraps a route handler; the spec is the one place a route's rules live:
 * caps the body size, parses params and query with zod, refuses cross-site
 * requests (`sameSite`) and bodies that are not JSON, authenticates (`auth`),
 * parses the JSON body, takes
 * the route's limit (`limit`), and turns every failure into the error shape of
 * PROTOCOL.md. Nothing internal (stack, Redis message) ever reaches the
 * client. The same spec generates the route's OpenAPI operation.
 */
export function route<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
  A extends Auth = undefined,
  O extends Ok | undefined = undefined,
>(
  spec: Spec<P, Q, B, A, O>,
  handle: (input: Input<z.output<P>, z.output<Q>, z.output<B>, A, O>) => Promise<Answer<O>>,
): Route {
  const okStatus = spec.ok?.[0] ?? 200;
  const reply = (body: unknown, headers?: HeadersInit) => {
    const init = new Headers(headers);
    if (!init.has("cache-control")) init.set("Cache-Control", "no-store");
    if (spec.ok?.[1] === null) {
      // As a Response would say of a text body given no type.
      if (typeof body === "string" && !init.has("content-type")) {
        init.set("Content-Type", "text/plain;charset=UTF-8");
      }
      return new Reply(okStatus, init, body as string | null);
    }
    if (!init.has("content-type")) init.set("Content-Type", "application/json");
    return new Reply(okStatus, init, JSON.stringify(body));
  };
  const answer = async (req: ApiRequest, rawParams: unknown): Promise<Response | Reply> => {
    try {
      const declared = Number(req.headers.get("content-length") ?? 0);
      if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large");
      const params = spec.params ? parse(spec.params, rawParams) : undefined;
      const query = spec.query
        ? parse(spec.query, Object.fromEntries(req.url.searchParams))
        : undefined;
      if (spec.sameSite && isCrossSite(req.headers)) throw new ApiError("cross_site");
      if (spec.body) assertJson(req.headers);
      const approver = spec.auth === "approver" ? await authenticateApprover(req) : undefined;
      const binding = spec.auth === "binding" ? bindingOf(params, req.headers) : undefined;
      if (spec.auth === "metrics") checkMetricsToken(req.headers);
      const body = spec.body ? parse(spec.body, await readJson(req)) : undefined;
      if (spec.limit) await spec.limit({ req, params, approver } as never);
      return await handle({ req, params, query, body, approver, binding, reply } as never);
    } catch (error) {
      return errorResponse(toApiError(error, req.url.pathname));
    }
  };
  const serve = async (req: ApiRequest, rawParams: unknown): Promise<Response> => {
    const answered = await answer(req, rawParams);
    return answered instanceof Reply ? answered.toResponse() : answered;
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
  return Object.assign(next, { serve, answer, spec: spec as RouteSpec });
}

/** The binding secret for `params.ticketId`; a missing or wrong cookie is the unknown id's 404. */
function bindingOf(params: unknown, headers: Headers): string {
  const ticketId = (params as { ticketId?: unknown } | undefined)?.ticketId;
  const secret = typeof ticketId === "string" ? bindingSecret(ticketId, headers) : null;
  if (!secret) throw new ApiError("not_found");
  return secret;
}

/** 404 unless METRICS_TOKEN is set; then that bearer token, compared in constant time. */
function checkMetricsToken(headers: Headers) {
  const token = env().METRICS_TOKEN;
  if (!token) throw new ApiError("not_found");
  const given = Buffer.from(headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError("unauthorized", "Send the metrics token as a bearer token.");
  }
}

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
  return Object.fromEntries(HTTP_METHODS.map((m) => [m, all[m] ?? refuse])) as Record<
    Method,
    Handler
  >;
}

/** Parses input with zod; a failure is a 400 naming the first bad field. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw new ApiError("invalid_request", `Invalid request: ${where}${issue?.message ?? "invalid"}`);
}

/** A body that is not JSON (a form, multipart) is refused before anything reads it. */
function assertJson(headers: Headers) {
  const type = headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError("unsupported_media_type");
}

/** Reads at most MAX_BODY_BYTES (whatever Content-Length claimed) and parses it as JSON. */
async function readJson(req: ApiRequest): Promise<unknown> {
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
  const refused = refusalOf(error);
  if (refused) return refused;
  if (TicketActionError.is(error)) {
    return error.code === "invalid_state"
      ? invalidStateError(error.state)
      : new ApiError(error.code);
  }
  if (StoreUnavailableError.is(error)) {
    metrics().storeErrors.inc();
    // The store's own words (a refused command, a dropped connection) say why: the operator's clue.
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    logger().error({ err: error.message, cause, path: logPath(path) }, "store unavailable");
    return new ApiError("store_unavailable", undefined, { "Retry-After": "1" });
  }
  logger().error({ err: error, path: logPath(path) }, "unhandled error");
  return new ApiError("internal_error");
}
