import { describe, expect, inject, it } from "vitest";
import { startApp } from "../support/app-server";
import { slowRelay } from "../support/redis-relay";

/** A bad environment stops start-up with one line naming the variable; the memory store is opt-in in production. */
describe("start-up checks", () => {
  // startApp, not useStack: each test is a start of its own (most of them refused).
  async function failedStart(env: Record<string, string>): Promise<string> {
    try {
      const app = await startApp(env);
      await app.stop();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("the server started");
  }

  it("refuses the memory store in production unless QRL_STORE=memory", async () => {
    const message = await failedStart({});
    expect(message).toMatch(/server exited \(1\)/);
    const lines = message.split("\n").filter((l) => l.includes("Invalid environment variable"));
    expect(lines).toEqual([
      "Invalid environment variable REDIS_URL: required in production (or set QRL_STORE=memory for a single-instance demo)",
    ]);
  });

  it("names a malformed variable", async () => {
    const message = await failedStart({ QRL_STORE: "memory", QRL_PENDING_TTL_S: "two minutes" });
    expect(message).toContain("Invalid environment variable QRL_PENDING_TTL_S:");
  });

  // server.mjs's own settings are checked by lib/env.ts before anything starts.
  for (const [name, value] of [
    ["QRL_SHUTDOWN_GRACE_MS", "abc"],
    ["PORT", "99999"],
    ["HOST", "not a host"],
    ["QRL_FAST_STATUS", "maybe"],
    ["LOG_LEVEL", "loud"],
  ] as const) {
    it(`stops at start on ${name}=${value}, in one line naming it`, async () => {
      const message = await failedStart({ QRL_STORE: "memory", [name]: value });
      expect(message).toMatch(/server exited \(1\)/);
      const lines = message.split("\n").filter((l) => l.includes("Invalid environment variable"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Invalid environment variable ${name}: `));
    });
  }

  it("starts on the memory store when asked, and says so", async () => {
    const app = await startApp({ QRL_STORE: "memory" });
    try {
      expect(await (await fetch(`${app.url}/api/health`)).json()).toEqual({
        status: "ok",
        store: "memory",
      });
      expect(app.output()).toContain("Store: embedded memory");
    } finally {
      await app.stop();
    }
  });

  it("listens only once its store answers and its events subscription is live: the first request it takes is served, not a 503", async () => {
    // Every connection to this Redis answers only once it is 1.5 s old: longer than the store's
    // 800-ms deadline. An instance that listened at once had its first request wait on the
    // connection still being made, and answered it 503 (a rolling restart's one 503).
    const relay = await slowRelay(new URL(inject("redisUrl")), { holdMs: 1500 });
    const app = await startApp({ REDIS_URL: relay.url }, { wait: false });
    try {
      const deadline = Date.now() + 60_000;
      let first: Response | undefined;
      while (!first) {
        if (app.exitCode() !== null) throw new Error(`server exited:\n${app.output()}`);
        try {
          first = await fetch(`${app.url}/api/qr`, { method: "POST" });
        } catch {
          // Not listening yet (connection refused): try again, within the deadline.
          if (Date.now() > deadline) throw new Error(`server did not start:\n${app.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      expect(first.status).toBe(201);
      const { ticketId } = (await first.json()) as { ticketId: string };
      expect(ticketId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(app.output()).not.toContain("The store does not answer yet");
    } finally {
      await app.stop();
      await relay.close();
    }
  });
});
