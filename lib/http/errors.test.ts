import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "../log";
import { StoreUnavailableError } from "../store/kv";
import { ApiError, errorResponse } from "./errors";
import { route, toApiError } from "./handler";

/** What the client may learn from an unexpected failure: this, and nothing of the failure. */
const GENERIC_500 = "Something went wrong on our side. Try again.";
const INTERNALS = "ECONNREFUSED redis://:hunter2@10.0.0.1:6379 at Socket.connect (node:net:1)";

const call = (handler: ReturnType<typeof route>) =>
  handler(new NextRequest("http://localhost/api/x", { method: "POST" }), {
    params: Promise.resolve({}),
  });

async function expectGeneric500(res: Response) {
  expect(res.status).toBe(500);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ error: { code: "internal_error", message: GENERIC_500 } });
  for (const leak of [
    "ECONNREFUSED",
    "hunter2",
    "10.0.0.1",
    "Socket",
    "internal detail",
    "Error",
  ]) {
    expect(text).not.toContain(leak);
  }
}

function expectRetryAfter(res: Response) {
  const value = res.headers.get("retry-after");
  expect(value).toMatch(/^[1-9]\d*$/);
  return Number(value);
}

describe("error mapping: what a failure looks like to the client", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers an unexpected error with a generic 500, and logs the detail instead", async () => {
    const logged = vi.spyOn(logger(), "error");
    const error = new Error(INTERNALS);
    await expectGeneric500(errorResponse(toApiError(error, "/api/qr/lookup")));
    // The path as logged: the app's own route (an unknown one would be ":other", issue 21.11).
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ err: error, path: "/api/qr/lookup" }),
      expect.any(String),
    );
  });

  it("does not leak what a thrown non-Error says either", async () => {
    await expectGeneric500(errorResponse(toApiError(INTERNALS, "/x")));
    await expectGeneric500(errorResponse(toApiError({ message: INTERNALS }, "/x")));
  });

  it("answers a route handler that throws with the same generic 500", async () => {
    await expectGeneric500(
      await call(
        route({}, async () => {
          throw new Error("internal detail");
        }),
      ),
    );
    await expectGeneric500(
      await call(
        route({}, async () => {
          throw new TypeError(INTERNALS);
        }),
      ),
    );
  });

  it("answers a store outage with 503 store_unavailable and Retry-After", async () => {
    const mapped = toApiError(new StoreUnavailableError(INTERNALS), "/x");
    const res = errorResponse(mapped);
    expect(res.status).toBe(503);
    expectRetryAfter(res);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "store_unavailable" } });
    expect(text).not.toContain("hunter2");

    const viaRoute = await call(
      route({}, async () => {
        throw new StoreUnavailableError(INTERNALS);
      }),
    );
    expect(viaRoute.status).toBe(503);
    expectRetryAfter(viaRoute);
    expect((await viaRoute.json()).error.code).toBe("store_unavailable");
  });

  it("keeps a rate limit's Retry-After", async () => {
    const limited = new ApiError("rate_limited", undefined, { "Retry-After": "17" });
    expect(toApiError(limited, "/x")).toBe(limited);
    const res = errorResponse(limited);
    expect(res.status).toBe(429);
    expect(expectRetryAfter(res)).toBe(17);
    expect((await res.json()).error.code).toBe("rate_limited");

    const viaRoute = await call(
      route({}, async () => {
        throw limited;
      }),
    );
    expect(viaRoute.status).toBe(429);
    expect(expectRetryAfter(viaRoute)).toBe(17);
  });

  it("passes a client error through with its own status and message", async () => {
    const res = errorResponse(toApiError(new ApiError("not_found"), "/x"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: "not_found",
        message: "No such login code. Refresh the login page for a new one.",
      },
    });
  });
});
