import { describe, expect, it } from "vitest";
import { DemoDirectory } from "./demo-directory";

describe("demo directory", () => {
  const users = new DemoDirectory("Alice:wonderland:Alice Liddell, bob:builder");

  it("finds an account by every spelling of its username", async () => {
    for (const typed of [
      "alice",
      " alice",
      "alice\t",
      "\u00a0alice",
      "alice\u3000",
      "ＡＬＩＣＥ",
    ]) {
      expect(await users.verify(typed, "wonderland"), typed).toMatchObject({
        id: "demo-alice",
        username: "alice",
        displayName: "Alice Liddell",
      });
    }
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    expect(await users.verify("alice", "nope")).toBeNull();
    expect(await users.verify("mallory", "wonderland")).toBeNull();
    expect(await users.verify("al ice", "wonderland")).toBeNull();
  });

  it("gets a user by id", async () => {
    expect(await users.get("demo-bob")).toMatchObject({ username: "bob", displayName: "Bob" });
    expect(await users.get("demo-nobody")).toBeNull();
  });
});
