import { methods, route } from "@/lib/http/handler";
import { metrics } from "@/lib/metrics";

/** Prometheus scrape endpoint: 404 unless METRICS_TOKEN is set; then that bearer token is required. */
const scrape = route(
  {
    summary: "Prometheus text (when METRICS_TOKEN is set)",
    tag: "operations",
    auth: "metrics",
    ok: [200, null],
    errors: [401, 404],
  },
  async ({ reply }) => {
    const { registry } = metrics();
    return reply(await registry.metrics(), { "Content-Type": registry.contentType });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: scrape });
