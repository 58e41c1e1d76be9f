import { methods } from "@/lib/http/handler";
import { json } from "@/lib/http/response";

/** Liveness: the process answers. Never touches the store (a Redis outage is not a reason to restart). */
const live = () => json({ status: "ok" });

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: live });
