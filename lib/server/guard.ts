import "server-only";
import type { IncomingMessage } from "node:http";
import { ApiError } from "../http/errors";
import { MAX_BODY_BYTES } from "../http/handler";
import { ALLOW_ANY, HTTP_METHODS } from "../http/methods";

const METHODS = new Set<string>(HTTP_METHODS);

/**
 * Refuses, before Next.js or next-auth sees it, what neither should ever
 * parse: a request target that is not a path (absolute-form `http://host/…`,
 * which Next.js would answer with an off-site redirect; `*`; garbage), a path
 * that is not valid percent-encoding, an unknown method, a body over the API's
 * 8 KiB cap (next-auth's routes included) or of unknown length on next-auth's
 * routes, next-auth's client-log endpoint, and a callbackUrl that is not this
 * site's. Returns the error to answer with, or null to go on.
 */
export function refusal(req: IncomingMessage): ApiError | null {
  const target = req.url ?? "";
  if (!target.startsWith("/") || target.startsWith("//")) {
    return new ApiError("invalid_request", "The request target must be a path on this site.");
  }
  const q = target.search(/[?#]/);
  const path = q < 0 ? target : target.slice(0, q);
  try {
    decodeURIComponent(path);
  } catch {
    return new ApiError("invalid_request", "The path is not valid percent-encoding.");
  }
  const method = req.method ?? "";
  if (!METHODS.has(method)) {
    return new ApiError("method_not_allowed", undefined, { Allow: ALLOW_ANY });
  }
  const length = req.headers["content-length"];
  if (length !== undefined && !(Number(length) <= MAX_BODY_BYTES)) {
    return new ApiError("payload_too_large");
  }
  if (!path.startsWith("/api/auth/")) return null;
  // next-auth reads whole bodies before anything else: it gets only bodies whose size is known.
  if (req.headers["transfer-encoding"] !== undefined) return new ApiError("length_required");
  if (path === "/api/auth/_log") {
    // Browsers' log lines (next-auth/react, unused here) must not reach the server's log.
    return new ApiError("not_found", "No such API endpoint.");
  }
  if (path.startsWith("/api/auth/callback/") && method !== "POST") {
    return new ApiError("method_not_allowed", undefined, { Allow: "POST" });
  }
  const callbackUrl = new URLSearchParams(q < 0 ? "" : target.slice(q + 1)).get("callbackUrl");
  if (callbackUrl !== null && !isLocalPath(callbackUrl)) {
    return new ApiError("invalid_request", "callbackUrl must be a path on this site.");
  }
  return null;
}

/** A path on this site (`/m`, `/login?x=1`), not another origin (`//evil`, `http://…`, `/\\evil`). */
export function isLocalPath(url: string): boolean {
  return /^\/(?![/\\])/.test(url) && !/[\s\\]/.test(url.slice(0, url.search(/[?#]|$/)));
}
