import { describe, expect, it } from "vitest";
import { startApp } from "../support/app-server";

/** A bad environment stops start-up with one line naming the variable; the memory store is opt-in in production. */
describe("start-up checks", () => {
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
});
