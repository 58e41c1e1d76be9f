import { z } from "zod";
import { methods, route } from "@/lib/http/handler";

/** Liveness: the process answers. Never touches the store (a Redis outage is not a reason to restart). */
const live = route(
  {
    summary: "Liveness, without the store",
    tag: "operations",
    ok: [200, z.object({ status: z.literal("ok") })],
    errors: [],
  },
  async ({ reply }) => reply({ status: "ok" }),
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: live });
