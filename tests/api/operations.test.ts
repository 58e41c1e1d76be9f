import { describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { METRICS_TOKEN, scrape, untilWaiting, value } from "../support/metrics";
import { useStack } from "../support/stack";

const nativeSignIn = (url: string, username: string, password: string) =>
  signInNative(url, username, password);

/** The server's JSON log lines so far (a line still being written is left out). */
const logLines = (app: AppServer) =>
  app
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{") && l.endsWith("}"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("operations: logs, audit, metrics, trusted proxy", () => {
  // The second instance sits behind a trusted proxy (one test); every other test uses the first.
  const stack = useStack({ instances: [{ METRICS_TOKEN }, { TRUST_PROXY: "1" }] });

  it("logs every step as one audit line, and never a secret, token, password or raw ticket id", async () => {
    const desktop = new HttpClient(stack.url);
    const { ticketId, scanUrl } = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const binding = [...desktop.cookies.values()][0] ?? "";
    const alice = await nativeSignIn(stack.url, "alice", "wonderland");
    const bob = await nativeSignIn(stack.url, "bob", "builder");
    await alice.client.fetch(scanPathOf(scanUrl), { method: "POST" });
    await bob.client.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
    await alice.client.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
    await desktop.claim(ticketId);
    expect((await desktop.session()).user?.id).toBe("demo-alice");
    // A request's line is written once its response has gone out: wait for the last one's.
    await expect
      .poll(() => logLines(stack.app).some((l) => l.route === "/api/auth/session"), {
        timeout: 10_000,
      })
      .toBe(true);

    const lines = logLines(stack.app);
    const audit = lines.filter((l) => l.audit && l.audit !== "status");
    const ticketHash = audit.find((l) => l.audit === "create")?.ticket;
    const trail = audit
      .filter((l) => l.ticket === ticketHash)
      .map((l) => [l.audit, l.outcome, l.userId ?? null]);
    expect(trail).toEqual([
      ["create", "ok", null],
      ["scan", "ok", "demo-alice"],
      ["confirm", "not_scanner", "demo-bob"],
      ["confirm", "ok", "demo-alice"],
      ["claim", "ok", "demo-alice"],
    ]);
    expect(audit.every((l) => typeof l.ip === "string")).toBe(true);
    const requests = lines.filter(
      (l) => typeof l.route === "string" && typeof l.status === "number",
    );
    expect(requests.map((l) => l.route)).toContain("/api/qr/:ticketId/confirm");
    expect(requests.every((l) => typeof l.req === "string" && typeof l.ms === "number")).toBe(true);

    const output = stack.app.output();
    for (const secret of [
      ticketId,
      binding,
      binding.split(".")[0],
      alice.token,
      bob.token,
      "wonderland",
      "builder",
    ]) {
      expect(secret.length).toBeGreaterThan(5);
      expect(output).not.toContain(secret);
    }
  });

  it("serves Prometheus metrics only with the token, and the counters move with a login", async () => {
    expect((await fetch(`${stack.url}/api/metrics`)).status).toBe(401);
    const before = await scrape(stack.app);
    const desktop = new HttpClient(stack.url);
    const { ticketId, scanUrl } = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const phone = await nativeSignIn(stack.url, "carol", "carol-pass");
    const waiting = desktop.fetch(`/api/qr/${ticketId}?since=1&wait=20`);
    await untilWaiting(stack.app, 1);
    const during = await scrape(stack.app);
    expect(value(during, "qrl_longpolls_waiting")).toBe(1);
    await phone.client.fetch(scanPathOf(scanUrl), { method: "POST" });
    expect((await (await waiting).json()).state).toBe("scanned");
    await phone.client.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
    await desktop.claim(ticketId);
    const after = await scrape(stack.app);

    const claims = 'qrl_ticket_actions_total{action="claim",outcome="ok"}';
    expect(value(after, claims) - value(before, claims)).toBe(1);
    expect(value(after, "qrl_wake_latency_seconds_count")).toBeGreaterThan(
      value(before, "qrl_wake_latency_seconds_count"),
    );
    expect(value(after, "qrl_claim_duration_seconds_count")).toBeGreaterThan(
      value(before, "qrl_claim_duration_seconds_count"),
    );
    expect(value(after, "qrl_longpolls_waiting")).toBe(0);
    expect(after).toContain("process_resident_memory_bytes");
  });

  it("ignores X-Forwarded-For without a trusted proxy", async () => {
    const desktop = new HttpClient(stack.url, { "x-forwarded-for": "203.0.113.99" });
    const { scanUrl } = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const phone = await nativeSignIn(stack.url, "alice", "wonderland");
    const scan = await (await phone.client.fetch(scanPathOf(scanUrl), { method: "POST" })).json();
    expect(scan.requester.ip).toBe("127.0.0.1");
  });

  it("takes the client address from X-Forwarded-For behind a trusted proxy", async () => {
    const proxied = stack.apps[1] as AppServer;
    const desktop = new HttpClient(proxied.url, { "x-forwarded-for": "10.9.9.9, 203.0.113.99" });
    const { scanUrl } = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const phone = await nativeSignIn(proxied.url, "alice", "wonderland");
    const scan = await (await phone.client.fetch(scanPathOf(scanUrl), { method: "POST" })).json();
    expect(scan.requester.ip).toBe("203.0.113.99");
  });
});

describe("graceful shutdown", () => {
  // The test stops the first instance itself (SIGTERM mid-poll); the stack stops what is left.
  const stack = useStack({ instances: [{ METRICS_TOKEN }, {}] });
  const a = () => stack.apps[0] as AppServer;
  const b = () => stack.apps[1] as AppServer;

  it("answers held long-polls on SIGTERM, exits cleanly, and the login completes on another instance", async () => {
    const desktopA = new HttpClient(a().url);
    const { ticketId, scanUrl } = await (
      await desktopA.fetch("/api/qr", { method: "POST" })
    ).json();
    const held = desktopA.fetch(`/api/qr/${ticketId}?since=1&wait=20`);
    await untilWaiting(a(), 1);
    const started = performance.now();
    const exited = a().stop();
    const answer = await held;
    expect(answer.status).toBe(200);
    expect((await answer.json()).state).toBe("pending");
    expect(performance.now() - started).toBeLessThan(10_000);
    await exited;
    expect(a().exitCode()).toBe(0);
    expect(a().output()).toContain("Shutting down");

    // Behind a load balancer the desktop's next poll reaches instance B, cookies and all.
    const desktopB = new HttpClient(b().url);
    for (const [k, v] of desktopA.cookies) desktopB.cookies.set(k, v);
    const phone = await nativeSignIn(b().url, "alice", "wonderland");
    await phone.client.fetch(scanPathOf(scanUrl), { method: "POST" });
    await phone.client.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
    const statusB = await (await desktopB.fetch(`/api/qr/${ticketId}?since=1&wait=5`)).json();
    expect(statusB.state, JSON.stringify(statusB)).toBe("confirmed");
    await desktopB.claim(ticketId);
    expect((await desktopB.session()).user?.id).toBe("demo-alice");
  });
});
