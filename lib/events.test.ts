import { afterEach, describe, expect, it } from "vitest";
import { listen, publish } from "./events";
import { registry } from "./registry";
import { listenForSignOuts } from "./sessions/revocations";
import { CachedDirectory } from "./users/cached-directory";
import type { User, UserDirectory } from "./users/directory";

/** A directory whose name for u1 the test changes, counting its reads. */
function directory() {
  const state = { name: "Fay", reads: 0 };
  const inner: UserDirectory = {
    verify: async () => null,
    get: async (id): Promise<User | null> => {
      state.reads += 1;
      return { id, username: "fay", displayName: state.name };
    },
  };
  return { state, inner };
}

describe("the events channel (embedded store)", () => {
  afterEach(() => {
    const r = registry();
    r.eventsReady = undefined;
    r.eventListeners = undefined;
    r.users = undefined;
  });

  it("tells each listener to drop what it cached once the subscription is live, then delivers by type", async () => {
    const heard: unknown[] = [];
    let resyncs = 0;
    await listen("probe", { message: (e) => heard.push(e), resync: () => resyncs++ });
    expect(resyncs).toBe(1);
    // A second listen shares the live subscription: no new resync.
    await listen("probe", { message: (e) => heard.push(e), resync: () => resyncs++ });
    expect(resyncs).toBe(1);
    await publish({ type: "probe", n: 1 });
    await publish({ type: "other", n: 2 });
    expect(heard).toEqual([{ type: "probe", n: 1 }]);
  });

  it("a name cached before this instance listened is read again once it does (a rename it never heard)", async () => {
    const { state, inner } = directory();
    const users = new CachedDirectory(inner);
    registry().users = users;
    expect((await users.get("u1"))?.displayName).toBe("Fay");
    // Renamed elsewhere while this instance was not subscribed: the event went unheard.
    state.name = "Fay Neu";
    expect((await users.get("u1"))?.displayName).toBe("Fay");
    await listenForSignOuts();
    expect((await users.get("u1"))?.displayName).toBe("Fay Neu");
    expect(state.reads).toBe(2);
    // And a rename heard on the channel is read at the next get.
    state.name = "Fay F";
    await publish({ type: "account", id: "u1" });
    expect((await users.get("u1"))?.displayName).toBe("Fay F");
  });
});
