import { methods } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { store } from "@/lib/store";

/** Readiness: 200 when the store answers (within the store timeout), 503 otherwise. */
async function health() {
  const kv = store();
  try {
    await kv.ping();
    return json({ status: "ok", store: kv.kind });
  } catch {
    return json(
      {
        status: "unavailable",
        store: kv.kind,
        error: { code: "store_unavailable", message: "The store does not answer." },
      },
      503,
      { "Retry-After": "1" },
    );
  }
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: health });
