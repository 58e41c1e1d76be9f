import { json } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/other-methods";
import { store } from "@/lib/store";

/** Readiness: 200 when the store answers (within the store timeout), 503 otherwise. */
export async function GET() {
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

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
