import { health } from "@/lib/api/shapes";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { store } from "@/lib/store";

/** Readiness: 200 when the store answers (within the store timeout), 503 otherwise. */
const ready = route(
  {
    summary: "Readiness: the store answers",
    tag: "operations",
    ok: [200, health],
    errors: [503],
  },
  async ({ reply }) => {
    const kv = store();
    try {
      await kv.ping();
    } catch {
      throw new ApiError("store_unavailable", "The store does not answer.", { "Retry-After": "1" });
    }
    return reply({ status: "ok", store: kv.kind });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: ready });
