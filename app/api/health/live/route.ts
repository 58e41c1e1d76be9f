import { json } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/other-methods";

/** Liveness: the process answers. Never touches the store (a Redis outage is not a reason to restart). */
export function GET() {
  return json({ status: "ok" });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
