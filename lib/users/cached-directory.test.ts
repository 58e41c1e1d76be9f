import { describe, expect, it } from "vitest";
import { CachedDirectory } from "./cached-directory";
import type { User, UserDirectory } from "./directory";

const alice: User = { id: "u1", username: "alice", displayName: "Alice" };

function counting(): UserDirectory & { gets: number; verifies: number } {
  return {
    gets: 0,
    verifies: 0,
    async get(id) {
      this.gets++;
      return id === alice.id ? alice : null;
    },
    async verify() {
      this.verifies++;
      return alice;
    },
  };
}

describe("cached user directory", () => {
  it("answers get() from memory until the entry is older than its ttl", async () => {
    let now = 0;
    const inner = counting();
    const users = new CachedDirectory(inner, 1_000, 100, () => now);
    expect(await users.get("u1")).toEqual(alice);
    expect(await users.get("u1")).toEqual(alice);
    expect(await users.get("nobody")).toBeNull();
    expect(await users.get("nobody")).toBeNull();
    expect(inner.gets).toBe(2);
    now = 1_000;
    await users.get("u1");
    expect(inner.gets).toBe(3);
  });

  it("serves an expired entry while the directory fails, and fails without one", async () => {
    let now = 0;
    let down = false;
    const inner = counting();
    const failing: UserDirectory = {
      verify: (u, p) => inner.verify(u, p),
      get: (id) => (down ? Promise.reject(new Error("database down")) : inner.get(id)),
    };
    const users = new CachedDirectory(failing, 1_000, 100, () => now);
    expect(await users.get("u1")).toEqual(alice);
    now = 5_000;
    down = true;
    expect(await users.get("u1")).toEqual(alice);
    await expect(users.get("u2")).rejects.toThrow("database down");
    down = false;
    expect(await users.get("u2")).toBeNull();
  });

  it("never caches password checks", async () => {
    const inner = counting();
    const users = new CachedDirectory(inner);
    await users.verify("alice", "x");
    await users.verify("alice", "x");
    expect(inner.verifies).toBe(2);
  });

  it("stays bounded", async () => {
    const inner = counting();
    const users = new CachedDirectory(inner, 60_000, 3);
    for (const id of ["a", "b", "c", "d", "a"]) await users.get(id);
    expect(inner.gets).toBe(5);
  });
});
