import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { logger } from "../log";
import { metrics } from "../metrics";
import { StoreUnavailableError } from "../store/kv";
import { TicketActionError } from "../tickets/service";
import { ApiError, errorResponse, invalidStateError } from "./errors";

export const MAX_BODY_BYTES = 8 * 1024;

type RouteContext = { params: Promise<Record<string, string | string[]>> };

interface Spec<P extends z.ZodType, B extends z.ZodType> {
  params?: P;
  body?: B;
}

export interface Input<P, B> {
  req: NextRequest;
  params: P;
  body: B;
}

/**
 * Wraps a route handler: caps the body size, parses params and JSON body
 * with zod, and turns every failure into the error shape of PROTOCOL.md.
 * Nothing internal (stack, Redis message) ever reaches the client.
 */
export function route<P extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  spec: Spec<P, B>,
  handle: (input: Input<z.output<P>, z.output<B>>) => Promise<Response>,
) {
  return async (req: NextRequest, context: RouteContext): Promise<Response> => {
    try {
      const declared = Number(req.headers.get("content-length") ?? 0);
      if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large");
      const params = spec.params ? parse(spec.params, await context.params) : undefined;
      const body = spec.body ? parse(spec.body, await readJson(req)) : undefined;
      return await handle({ req, params, body } as Input<z.output<P>, z.output<B>>);
    } catch (error) {
      return errorResponse(toApiError(error, req.nextUrl.pathname));
    }
  };
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
async function readJson(req: NextRequest): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError("unsupported_media_type");
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiError("payload_too_large");
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
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
    logger().error({ err: error.message, path }, "store unavailable");
    return new ApiError("store_unavailable", undefined, { "Retry-After": "1" });
  }
  logger().error({ err: error, path }, "unhandled error");
  return new ApiError("internal_error");
}
