import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { refusalOf } from "@/lib/http/errors";
import { Passkeys } from "@/lib/passkeys/passkeys";
import { createRedis } from "@/lib/redis";
import type { KvStore } from "@/lib/store/kv";
import { MemoryKv } from "@/lib/store/memory-kv";
import { RedisKv } from "@/lib/store/redis-kv";
import { TicketActionError, TicketService } from "@/lib/tickets/service";
import { SoftAuthenticator } from "../support/authenticator";
import { LIFETIMES } from "./ticket-contract";

const RP = { id: "login.example.test", origin: "https://login.example.test", name: "QR login" };
const requester = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" };

/** The code a failed call was refused with (ApiError or TicketActionError), or "resolved". */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (TicketActionError.is(error)) return error.code;
    const refused = refusalOf(error);
    if (refused) return refused.code;
    throw error;
  }
  return "resolved";
}

/**
 * Passkey-verified approvals on both stores: a user with a passkey approves
 * only with an assertion whose challenge was issued for this ticket at this
 * version, once; anything else is refused and leaves the ticket as it was.
 */
for (const storeName of ["memory", "redis"] as const) {
  describe(`passkey approvals (${storeName} store)`, () => {
    let kv: KvStore;
    let close: () => Promise<void>;
    let tickets: TicketService;
    let passkeys: Passkeys;

    beforeAll(async () => {
      if (storeName === "memory") {
        const memory = new MemoryKv();
        kv = memory;
        close = async () => memory.close();
      } else {
        const client = createRedis(inject("redisUrl"), 2000);
        await new Promise((resolve) => client.once("ready", resolve));
        kv = new RedisKv(client, 2000);
        close = async () => void (await client.quit());
      }
      tickets = new TicketService(kv, LIFETIMES);
      passkeys = new Passkeys(kv, RP);
    });
    afterAll(async () => close?.());

    /** A user (fresh per test) with one registered passkey, and their phone session. */
    async function userWithPasskey() {
      const id = `pat-${randomBytes(6).toString("hex")}`;
      const asker = { userId: id, sessionId: randomBytes(16).toString("base64url") };
      const user = { id, username: id, displayName: "Passkey Pat" };
      const key = new SoftAuthenticator(RP);
      // The first passkey needs the password again (the route checks it; here, its mark).
      await passkeys.markReauthenticated(asker);
      const options = await passkeys.registrationOptions(user, asker);
      await passkeys.register(asker, key.create(options), "Test phone");
      return { asker, user, key };
    }

    async function scanned(userId: string) {
      const { ticket } = await tickets.create(requester);
      return tickets.scan(ticket.id, userId);
    }

    it("approves with an assertion bound to this ticket, and refuses approving without one", async () => {
      const { asker, key } = await userWithPasskey();
      expect((await passkeys.status(asker.userId)).required).toBe(true);
      const ticket = await scanned(asker.userId);
      // Missing: the plain approve is refused; the ticket stays scanned at its version.
      expect(await refusal(passkeys.assertNotRequired(asker.userId))).toBe("passkey_required");
      expect(await tickets.get(ticket.id)).toMatchObject({
        state: "scanned",
        version: ticket.version,
      });

      const options = await passkeys.approvalOptions(ticket, asker);
      const assertion = key.get(options);
      await passkeys.verifyApproval(ticket.id, await tickets.get(ticket.id), asker, assertion);
      const confirmed = await tickets.confirm(ticket.id, asker.userId);
      expect(confirmed.state).toBe("confirmed");
    });

    it("refuses an assertion made for another ticket and leaves both tickets unchanged", async () => {
      const { asker, key } = await userWithPasskey();
      const a = await scanned(asker.userId);
      const b = await scanned(asker.userId);
      const forA = key.get(await passkeys.approvalOptions(a, asker));
      await passkeys.approvalOptions(b, asker); // b has a live challenge of its own
      expect(
        await refusal(passkeys.verifyApproval(b.id, await tickets.get(b.id), asker, forA)),
      ).toBe("passkey_failed");
      expect(await tickets.get(a.id)).toMatchObject({ state: "scanned", version: a.version });
      expect(await tickets.get(b.id)).toMatchObject({ state: "scanned", version: b.version });
    });

    it("takes a challenge once: a replayed assertion is refused, of 10 at once exactly one passes", async () => {
      const { asker, key } = await userWithPasskey();
      const ticket = await scanned(asker.userId);
      const assertion = key.get(await passkeys.approvalOptions(ticket, asker));
      const current = await tickets.get(ticket.id);
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () =>
          refusal(passkeys.verifyApproval(ticket.id, current, asker, assertion)),
        ),
      );
      expect(outcomes.filter((o) => o === "resolved")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "passkey_failed")).toHaveLength(9);
      // The same assertion again, later (say, captured and replayed): refused, ticket unchanged.
      expect(await refusal(passkeys.verifyApproval(ticket.id, current, asker, assertion))).toBe(
        "passkey_failed",
      );
      expect(await tickets.get(ticket.id)).toMatchObject({
        state: "scanned",
        version: ticket.version,
      });
    });

    it("refuses an assertion without user verification, another user's, and one for an answered ticket", async () => {
      const { asker, key } = await userWithPasskey();
      const ticket = await scanned(asker.userId);
      // The user's own passkey, but the authenticator did not verify the person.
      key.verifiesUser = false;
      const noUv = key.get(await passkeys.approvalOptions(ticket, asker));
      key.verifiesUser = true;
      expect(
        await refusal(
          passkeys.verifyApproval(ticket.id, await tickets.get(ticket.id), asker, noUv),
        ),
      ).toBe("passkey_failed");
      // Another account cannot use this user's challenge.
      const other = await userWithPasskey();
      const mine = key.get(await passkeys.approvalOptions(ticket, asker));
      expect(
        await refusal(
          passkeys.verifyApproval(ticket.id, await tickets.get(ticket.id), other.asker, mine),
        ),
      ).toBe("not_scanner");
      expect(await tickets.get(ticket.id)).toMatchObject({
        state: "scanned",
        version: ticket.version,
      });
      // Nor the user's other phone session: the device that asked answers.
      const elsewhere = { ...asker, sessionId: randomBytes(16).toString("base64url") };
      const asked = key.get(await passkeys.approvalOptions(ticket, asker));
      expect(
        await refusal(
          passkeys.verifyApproval(ticket.id, await tickets.get(ticket.id), elsewhere, asked),
        ),
      ).toBe("passkey_failed");
      expect(await tickets.get(ticket.id)).toMatchObject({
        state: "scanned",
        version: ticket.version,
      });
      // Declined meanwhile: a valid assertion asked for before cannot approve it.
      const late = key.get(await passkeys.approvalOptions(ticket, asker));
      await tickets.deny(ticket.id, asker.userId);
      expect(
        await refusal(
          passkeys.verifyApproval(ticket.id, await tickets.get(ticket.id), asker, late),
        ),
      ).toBe("invalid_state");
      expect((await tickets.get(ticket.id))?.state).toBe("denied");
    });

    it("needs an existing passkey to add another, remove one, or turn the setting off", async () => {
      const { asker, user, key } = await userWithPasskey();
      expect(await refusal(passkeys.registrationOptions(user, asker))).toBe("passkey_required");
      const second = new SoftAuthenticator(RP);
      const proof = key.get(await passkeys.stepUpOptions(asker));
      const options = await passkeys.registrationOptions(user, asker, proof);
      await passkeys.register(asker, second.create(options), "Spare key");
      expect((await passkeys.status(asker.userId)).passkeys).toHaveLength(2);
      // A step-up proof is one-time too.
      expect(await refusal(passkeys.registrationOptions(user, asker, proof))).toBe(
        "passkey_failed",
      );

      expect(await refusal(passkeys.remove(asker, key.id))).toBe("passkey_required");
      await passkeys.setRequired(asker, true);
      expect(await refusal(passkeys.setRequired(asker, false))).toBe("passkey_required");
      await passkeys.remove(asker, key.id, second.get(await passkeys.stepUpOptions(asker)));
      // The last passkey cannot go while the setting requires one ("require" never on with none).
      expect(
        await refusal(
          passkeys.remove(asker, second.id, second.get(await passkeys.stepUpOptions(asker))),
        ),
      ).toBe("conflict");
      const status = await passkeys.status(asker.userId);
      expect(status).toMatchObject({
        passkeys: [{ id: second.id }],
        setting: true,
        required: true,
      });
      expect(await refusal(passkeys.assertNotRequired(asker.userId))).toBe("passkey_required");
    });
  });
}
