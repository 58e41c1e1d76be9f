import "server-only";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { registry as processRegistry, singleton } from "./registry";

/**
 * Prometheus metrics (prom-client), one registry per process, shared by every
 * bundle through lib/registry.ts. Served by /api/metrics when METRICS_TOKEN is set.
 */
function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    ticketActions: new Counter({
      name: "qrl_ticket_actions_total",
      help: "Ticket actions (create, scan, confirm, deny, cancel, claim) by outcome",
      labelNames: ["action", "outcome"] as const,
      registers,
    }),
    waiting: new Gauge({
      name: "qrl_longpolls_waiting",
      help: "Status long-polls waiting for a change on this instance",
      registers,
      collect() {
        this.set(processRegistry().waiters?.size ?? 0);
      },
    }),
    wakeLatency: new Histogram({
      name: "qrl_wake_latency_seconds",
      help: "From a ticket change being published to this instance waking its long-polls",
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    claimDuration: new Histogram({
      name: "qrl_claim_duration_seconds",
      help: "Time to claim a confirmed ticket for a web session",
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    storeErrors: new Counter({
      name: "qrl_store_errors_total",
      help: "Requests that failed because the store was unreachable or too slow",
      registers,
    }),
    rateLimited: new Counter({
      name: "qrl_rate_limited_total",
      help: "Requests refused by a rate limit",
      labelNames: ["limit"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof build>;

export const metrics = (): Metrics => singleton("metrics", build);
