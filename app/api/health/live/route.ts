import { json } from "@/lib/http/errors";

/** Liveness: the process answers. Never touches the store (a Redis outage is not a reason to restart). */
export function GET() {
  return json({ status: "ok" });
}
