import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { webhookPayload } from "./events";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

describe("webhook settings and payloads", () => {
  it("takes WEBHOOK_URL and WEBHOOK_SECRET together, naming the missing one", () => {
    expect(
      parseEnv({ WEBHOOK_URL: "https://hooks.example.com/qr", WEBHOOK_SECRET: SECRET }),
    ).toMatchObject({ WEBHOOK_URL: "https://hooks.example.com/qr", WEBHOOK_MAX_ATTEMPTS: 10 });
    expect(() => parseEnv({ WEBHOOK_URL: "https://hooks.example.com/qr" })).toThrow(
      /^Invalid environment variable WEBHOOK_SECRET: /,
    );
    expect(() => parseEnv({ WEBHOOK_SECRET: SECRET })).toThrow(
      /^Invalid environment variable WEBHOOK_URL: /,
    );
    expect(() =>
      parseEnv({ WEBHOOK_URL: "https://hooks.example.com/qr", WEBHOOK_SECRET: "hunter2" }),
    ).toThrow(/^Invalid environment variable WEBHOOK_SECRET: expected whsec_/);
  });

  it("describes each event type's payload, and refuses one that does not fit", () => {
    const requester = { browser: "Chrome 131", os: "Windows", ip: "203.0.113.7" };
    const approved = {
      type: "login.approved",
      timestamp: "2026-11-26T10:00:00.000Z",
      data: { userId: "u1", requestId: "abc", requester, requestedAt: "2026-11-26T09:59:00.000Z" },
    };
    expect(webhookPayload.parse(approved)).toEqual(approved);
    expect(webhookPayload.safeParse({ ...approved, type: "login.completed" }).success).toBe(false);
    expect(webhookPayload.safeParse({ ...approved, type: "login.stolen" }).success).toBe(false);
  });
});
