import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { ApiError, errorResponse } from "@/lib/http/errors";
import { methods } from "@/lib/http/handler";
import { metrics } from "@/lib/metrics";

/** Prometheus scrape endpoint: 404 unless METRICS_TOKEN is set; then that bearer token is required. */
async function scrape(req: Request) {
  const token = env().METRICS_TOKEN;
  if (!token) return errorResponse(new ApiError("not_found"));
  const given = Buffer.from(req.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return errorResponse(new ApiError("unauthorized", "Send the metrics token as a bearer token."));
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: scrape });
