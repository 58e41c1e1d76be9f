import { randomBytes } from "node:crypto";
import fc from "fast-check";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_USERS } from "../support/app-server";
import { SoftAuthenticator } from "../support/authenticator";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { signedInPhone, useStack } from "../support/stack";
import { startReceiver } from "../support/webhook-receiver";

/** A user of this suite's own, so no other suite's user gets a passkey. */
const USERS = `${TEST_USERS},pat:passkey-pat:Passkey Pat,sam:passkey-sam,rob:passkey-rob,flo:passkey-flo`;
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** A software passkey whose credential id is another's (a clone, or an id read from GET /api/passkeys). */
function cloneOf(key: SoftAuthenticator, rp: { id: string; origin: string }) {
  const clone = new SoftAuthenticator(rp);
  (clone as unknown as { credentialId: Buffer }).credentialId = key.credentialId;
  return clone;
}

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
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    afterAll(async () => receiver?.close()); // after the stack's own tear-down (hooks unwind)
    const stack = useStack({
      store: storeName,
      env: async () => {
        receiver = await startReceiver();
        return { QRL_DEMO_USERS: USERS, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET };
      },
    });
    let phone: HttpClient;
    let key: SoftAuthenticator;

    beforeAll(async () => {
      phone = await signedInPhone(stack.url, "pat", "passkey-pat");
      // The relying party is the configured origin (NEXTAUTH_URL here): its host is the rpID.
      key = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
    });

    const post = (path: string, json: unknown = {}) => phone.fetch(path, { method: "POST", json });

    /** The password entered again on this phone session. */
    async function reauth(client: HttpClient, password: string) {
      const res = await client.fetch("/api/passkeys/reauth", {
        method: "POST",
        json: { password },
      });
      expect(res.status).toBe(200);
    }

    /** Registers a passkey through begin and finish; returns finish's response. */
    async function register(client: HttpClient, authenticator: SoftAuthenticator, json = {}) {
      const begun = await client.fetch("/api/passkeys/registration/begin", {
        method: "POST",
        json,
      });
      expect(begun.status).toBe(200);
      const options = (await begun.json()) as { challenge: string };
      return client.fetch("/api/passkeys/registration/finish", {
        method: "POST",
        json: { response: authenticator.create(options), name: "Key" },
      });
    }

    /** A desktop's ticket, scanned by the phone; `state()` reads it as the desktop does. */
    async function scannedTicket() {
      const desktop = new HttpClient(stack.url);
      const { ticketId, scanUrl } = (await (
        await desktop.fetch("/api/qr", { method: "POST" })
      ).json()) as { ticketId: string; scanUrl: string };
      expect((await post(scanPathOf(scanUrl))).status).toBe(200);
      const state = async () =>
        (await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as {
          state: string;
          version: number;
        };
      return { desktop, ticketId, state };
    }

    it("registers a passkey; from then on a plain approve is refused and changes nothing", async () => {
      await reauth(phone, "passkey-pat");
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

    it("a copy of a phone session cannot finish an old challenge after the owner added a passkey (issue 21.1)", async () => {
      const { token, client: owner } = await signInNative(stack.url, "sam", "passkey-sam");
      // The thief holds a copy of the same bearer token: it is the same session, mark included.
      const thief = new HttpClient(stack.url, { authorization: `Bearer ${token}` });
      await reauth(owner, "passkey-sam");
      const thiefBegun = await thief.fetch("/api/passkeys/registration/begin", {
        method: "POST",
        json: {},
      });
      expect(thiefBegun.status).toBe(200);
      const thiefOptions = (await thiefBegun.json()) as { challenge: string };
      const mine = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
      expect((await register(owner, mine)).status).toBe(201);
      const theirs = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
      const late = await thief.fetch("/api/passkeys/registration/finish", {
        method: "POST",
        json: { response: theirs.create(thiefOptions), name: "Thief" },
      });
      expect(late.status).toBe(409);
      expect(await errorCode(late)).toBe("conflict");
      const list = (await (await owner.fetch("/api/passkeys")).json()) as {
        passkeys: { id: string }[];
      };
      expect(list.passkeys.map((p) => p.id)).toEqual([mine.id]);

      // Over the owner's passkey (its id is readable from the list), even with a valid step-up: refused.
      const stepUp = mine.get(
        (await (await owner.fetch("/api/passkeys/step-up", { method: "POST" })).json()) as {
          challenge: string;
        },
      );
      const swap = await register(owner, cloneOf(mine, { id: "127.0.0.1", origin: stack.url }), {
        stepUp,
      });
      expect(swap.status).toBe(409);
      expect(await errorCode(swap)).toBe("conflict");
      // The owner's passkey still checks out (it was not overwritten).
      const proof = mine.get(
        (await (await owner.fetch("/api/passkeys/step-up", { method: "POST" })).json()) as {
          challenge: string;
        },
      );
      const off = await owner.fetch("/api/passkeys/setting", {
        method: "PUT",
        json: { requireForApproval: false, stepUp: proof },
      });
      expect(off.status).toBe(200);

      // In another account: refused as well.
      const rob = (await signInNative(stack.url, "rob", "passkey-rob")).client;
      await reauth(rob, "passkey-rob");
      const elsewhere = await register(rob, cloneOf(mine, { id: "127.0.0.1", origin: stack.url }));
      expect(elsewhere.status).toBe(409);
      expect(await errorCode(elsewhere)).toBe("conflict");
      expect(await (await rob.fetch("/api/passkeys")).json()).toMatchObject({ passkeys: [] });
    });

    it("the first passkey and turning 'require' on need the password again; 'require' needs a passkey", async () => {
      const rob = (await signInNative(stack.url, "rob", "passkey-rob")).client;
      const bare = await rob.fetch("/api/passkeys/registration/begin", {
        method: "POST",
        json: {},
      });
      expect(bare.status).toBe(403);
      expect(await errorCode(bare)).toBe("reauth_required");
      const noKey = await rob.fetch("/api/passkeys/setting", {
        method: "PUT",
        json: { requireForApproval: true },
      });
      expect(noKey.status).toBe(403);
      expect(await errorCode(noKey)).toBe("passkey_required");
      const wrong = await rob.fetch("/api/passkeys/reauth", {
        method: "POST",
        json: { password: "not-it" },
      });
      expect(wrong.status).toBe(401);
      expect(await errorCode(wrong)).toBe("invalid_credentials");
      const key2 = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
      await reauth(rob, "passkey-rob");
      expect((await register(rob, key2)).status).toBe(201);
      const other = (await signInNative(stack.url, "rob", "passkey-rob")).client;
      const on = await other.fetch("/api/passkeys/setting", {
        method: "PUT",
        json: { requireForApproval: true },
      });
      expect(on.status).toBe(403);
      expect(await errorCode(on)).toBe("reauth_required");
      await reauth(other, "passkey-rob");
      const onAgain = await other.fetch("/api/passkeys/setting", {
        method: "PUT",
        json: { requireForApproval: true },
      });
      expect(onAgain.status).toBe(200);
    });

    it("tells the account's other phones and the webhook when a passkey is added or removed", async () => {
      const adder = (await signInNative(stack.url, "flo", "passkey-flo")).client;
      const other = (await signInNative(stack.url, "flo", "passkey-flo")).client;
      await reauth(adder, "passkey-flo");
      const fob = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
      expect((await register(adder, fob)).status).toBe(201);
      const stepUp = fob.get(
        (await (await adder.fetch("/api/passkeys/step-up", { method: "POST" })).json()) as {
          challenge: string;
        },
      );
      const removed = await adder.fetch(`/api/passkeys/${fob.id}`, {
        method: "DELETE",
        json: { stepUp },
      });
      expect(removed.status).toBe(204);
      const seen = (await (await other.fetch("/api/notices")).json()) as {
        passkeyChanges: { kind: string; name: string }[];
      };
      expect(seen.passkeyChanges.map((c) => c.kind)).toEqual(["removed", "added"]);
      const mine = (await (await adder.fetch("/api/notices")).json()) as {
        passkeyChanges: unknown[];
      };
      expect(mine.passkeyChanges).toEqual([]);
      for (const type of ["passkey.added", "passkey.removed"]) {
        const hook = await receiver.waitFor((r) => {
          const body = JSON.parse(r.body) as { type: string; data: { passkeyId?: string } };
          return body.type === type && body.data.passkeyId === fob.id;
        });
        expect(JSON.parse(hook.body)).toMatchObject({ data: { name: "Key" } });
      }
    });

    it("limits passkey challenges: a flood gets 429s and leaves at most 5 challenges (issue 21.3)", async () => {
      const flo = (await signInNative(stack.url, "flo", "passkey-flo")).client;
      await reauth(flo, "passkey-flo");
      const fob = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
      expect((await register(flo, fob)).status).toBe(201);
      const statuses: number[] = [];
      const stepUp = fob.get(
        (await (await flo.fetch("/api/passkeys/step-up", { method: "POST" })).json()) as {
          challenge: string;
        },
      );
      for (let round = 0; round < 10; round++) {
        const batch = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            i % 2 === 0
              ? flo.fetch("/api/passkeys/step-up", { method: "POST" })
              : flo.fetch("/api/passkeys/registration/begin", { method: "POST", json: { stepUp } }),
          ),
        );
        for (const res of batch) {
          statuses.push(res.status);
          if (res.status === 429) {
            expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
            expect(await errorCode(res)).toBe("rate_limited");
          } else await res.body?.cancel();
        }
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(250);
      expect(statuses.every((s) => s < 500)).toBe(true);
      if (storeName === "redis") {
        const client = new Redis(stack.redis.url);
        try {
          const key = "qrl:{u:demo-flo}:passkey-challenges";
          expect(await client.hlen(key)).toBeLessThanOrEqual(5);
          expect((await client.memory("USAGE", key)) ?? 0).toBeLessThan(4096);
          expect(await client.zcard(`${key}:order`)).toBeLessThanOrEqual(5);
        } finally {
          client.disconnect();
        }
      }
    });
  });
}
