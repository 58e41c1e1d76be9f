import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startApp, TEST_USERS } from "../support/app-server";
import { SoftAuthenticator } from "../support/authenticator";
import { HttpClient, signInNative } from "../support/http-client";
import { type RedisServer, startRedis } from "../support/redis-server";

/** A user of this suite's own, so no other suite's user gets a passkey. */
const USERS = `${TEST_USERS},pat:passkey-pat:Passkey Pat`;

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  expect(typeof body.error?.message).toBe("string");
  return body.error?.code ?? "none";
}

/**
 * Passkey-verified approvals over HTTP, for a native app (bearer token), on
 * both stores: registration, a refused plain approve, refused wrong-ticket,
 * made-up and replayed assertions (each leaving the ticket as it was), and
 * the approval that signs the computer in.
 */
for (const storeName of ["redis", "memory"] as const) {
  describe(`passkey approvals over HTTP (${storeName} store)`, () => {
    let redis: RedisServer | undefined;
    let app: AppServer;
    let phone: HttpClient;
    let key: SoftAuthenticator;

    beforeAll(async () => {
      redis = storeName === "redis" ? await startRedis() : undefined;
      app = await startApp({
        QRL_DEMO_USERS: USERS,
        ...(redis ? { REDIS_URL: redis.url } : { QRL_STORE: "memory" }),
      });
      phone = (await signInNative(app.url, "pat", "passkey-pat")).client;
      // The relying party is the configured origin (NEXTAUTH_URL here): its host is the rpID.
      key = new SoftAuthenticator({ id: "127.0.0.1", origin: app.url });
    });
    afterAll(async () => {
      await app?.stop();
      await redis?.stop();
    });

    const post = (path: string, json: unknown = {}) => phone.fetch(path, { method: "POST", json });

    /** A desktop's ticket, scanned by the phone; `state()` reads it as the desktop does. */
    async function scannedTicket() {
      const desktop = new HttpClient(app.url);
      const { ticketId } = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
        ticketId: string;
      };
      expect((await post(`/api/qr/${ticketId}/scan`)).status).toBe(200);
      const state = async () =>
        (await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as {
          state: string;
          version: number;
        };
      return { desktop, ticketId, state };
    }

    it("registers a passkey; from then on a plain approve is refused and changes nothing", async () => {
      const options = (await (await post("/api/passkeys/registration/begin")).json()) as {
        challenge: string;
        rp: { id: string };
      };
      expect(options.rp.id).toBe("127.0.0.1");
      const finish = await post("/api/passkeys/registration/finish", {
        response: key.create(options),
        name: "Test phone",
      });
      expect(finish.status).toBe(201);
      const list = await (await phone.fetch("/api/passkeys")).json();
      expect(list).toMatchObject({
        required: true,
        passkeys: [{ id: key.id, name: "Test phone" }],
      });

      const { ticketId, state } = await scannedTicket();
      const before = await state();
      const res = await post(`/api/qr/${ticketId}/confirm`);
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("passkey_required");
      expect(await state()).toEqual(before);
      expect(before.state).toBe("scanned");
    });

    it("refuses a missing, made-up or other ticket's assertion, leaving the ticket unchanged", async () => {
      const a = await scannedTicket();
      const b = await scannedTicket();
      const before = await b.state();
      // Missing: no assertion in the body.
      const missing = await post(`/api/qr/${b.ticketId}/passkey/finish`, {});
      expect(missing.status).toBe(400);
      expect(await errorCode(missing)).toBe("invalid_request");
      // Made up: signed by the right passkey, over a challenge the server never issued.
      const madeUp = key.get({ challenge: Buffer.alloc(32, 7).toString("base64url") });
      const res1 = await post(`/api/qr/${b.ticketId}/passkey/finish`, { response: madeUp });
      expect(res1.status).toBe(400);
      expect(await errorCode(res1)).toBe("passkey_failed");
      // Another ticket's: asked for ticket A, sent to approve ticket B.
      const forA = (await (await post(`/api/qr/${a.ticketId}/passkey/begin`)).json()) as {
        challenge: string;
      };
      await post(`/api/qr/${b.ticketId}/passkey/begin`);
      const res2 = await post(`/api/qr/${b.ticketId}/passkey/finish`, { response: key.get(forA) });
      expect(res2.status).toBe(400);
      expect(await errorCode(res2)).toBe("passkey_failed");
      expect(await b.state()).toEqual(before);
      expect((await a.state()).state).toBe("scanned");
    });

    it("approves with the passkey; the desktop signs in; the same assertion replayed approves nothing", async () => {
      const t = await scannedTicket();
      const options = (await (await post(`/api/qr/${t.ticketId}/passkey/begin`)).json()) as {
        challenge: string;
        userVerification: string;
        allowCredentials: { id: string }[];
      };
      expect(options.userVerification).toBe("required");
      expect(options.allowCredentials.map((c) => c.id)).toEqual([key.id]);
      const assertion = key.get(options);
      const ok = await post(`/api/qr/${t.ticketId}/passkey/finish`, { response: assertion });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ state: "confirmed" });
      await t.desktop.claim(t.ticketId);
      expect(t.desktop.hasSessionCookie()).toBe(true);

      const again = await post(`/api/qr/${t.ticketId}/passkey/finish`, { response: assertion });
      expect(again.status).toBe(400);
      expect(await errorCode(again)).toBe("passkey_failed");
      const other = await scannedTicket();
      const before = await other.state();
      const replay = await post(`/api/qr/${other.ticketId}/passkey/finish`, {
        response: assertion,
      });
      expect(replay.status).toBe(400);
      expect(await errorCode(replay)).toBe("passkey_failed");
      expect(await other.state()).toEqual(before);
    });

    it("answers malformed passkey answers with a 4xx in the error shape, the ticket unchanged", async () => {
      const t = await scannedTicket();
      const before = await t.state();
      const begun = await post(`/api/qr/${t.ticketId}/passkey/begin`);
      expect(begun.status).toBe(200);
      const options = (await begun.json()) as { challenge: string };
      const real = key.get(options);
      const b64 = fc
        .uint8Array({ maxLength: 120 })
        .map((b) => Buffer.from(b).toString("base64url"));
      const clientData = fc.oneof(
        b64,
        fc.constant(Buffer.from("{not json").toString("base64url")),
        // The real challenge, but another type or origin: the signature no longer matches either.
        fc
          .constantFrom("webauthn.create", "webauthn.get")
          .chain((type) =>
            fc
              .webUrl()
              .map((origin) =>
                Buffer.from(
                  JSON.stringify({ type, challenge: options.challenge, origin }),
                ).toString("base64url"),
              ),
          ),
      );
      const response = fc.record({
        id: fc.oneof(fc.constant(real.id), b64),
        rawId: fc.constant(real.rawId),
        type: fc.constantFrom("public-key", "password"),
        clientExtensionResults: fc.constant({}),
        response: fc.record({
          clientDataJSON: clientData,
          authenticatorData: fc.oneof(fc.constant(real.response.authenticatorData), b64),
          signature: fc.oneof(fc.constant(real.response.signature), b64),
        }),
      });
      const body = fc.oneof(
        response.map((r) => ({ response: r })),
        fc.anything().map((response) => ({ response })),
        fc.jsonValue(),
      );
      await fc.assert(
        fc.asyncProperty(body, async (json) => {
          for (const path of [
            `/api/qr/${t.ticketId}/passkey/finish`,
            "/api/passkeys/registration/finish",
          ]) {
            const res = await post(path, json);
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
            await errorCode(res);
          }
        }),
        { numRuns: 60 },
      );
      expect(await t.state()).toEqual(before);
    });

    it("refuses removing the passkey without proving it, and removes it with a step-up", async () => {
      const bare = await phone.fetch(`/api/passkeys/${key.id}`, { method: "DELETE", json: {} });
      expect(bare.status).toBe(403);
      expect(await errorCode(bare)).toBe("passkey_required");
      const options = (await (await post("/api/passkeys/step-up")).json()) as { challenge: string };
      const removed = await phone.fetch(`/api/passkeys/${key.id}`, {
        method: "DELETE",
        json: { stepUp: key.get(options) },
      });
      expect(removed.status).toBe(204);
      expect(await (await phone.fetch("/api/passkeys")).json()).toMatchObject({
        passkeys: [],
        required: false,
      });
    });
  });
}
