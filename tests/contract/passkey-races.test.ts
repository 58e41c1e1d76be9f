import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DatabasePasskeyRecords } from "@/lib/accounts/passkey-records";
import { type Database, openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { accounts } from "@/lib/db/schema";
import { refusalOf } from "@/lib/http/errors";
import { type PasskeyChange, Passkeys } from "@/lib/passkeys/passkeys";
import { KvPasskeyRecords, type PasskeyRecords } from "@/lib/passkeys/records";
import { createRedis } from "@/lib/redis";
import { keys } from "@/lib/store/keys";
import type { KvStore } from "@/lib/store/kv";
import { MemoryKv } from "@/lib/store/memory-kv";
import { RedisKv } from "@/lib/store/redis-kv";
import { TicketService } from "@/lib/tickets/service";
import { SoftAuthenticator } from "../support/authenticator";
import { LIFETIMES } from "./ticket-contract";

const RP = { id: "login.example.test", origin: "https://login.example.test", name: "QR login" };
const requester = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" };

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const refused = refusalOf(error);
    if (refused) return refused.code;
    if (error instanceof Error && "code" in error) return String(error.code);
    throw error;
  }
  return "resolved";
}

/**
 * Passkey changes under races, on both stores (issue 21 items 1, 3, 4): an
 * old registration challenge cannot add a passkey after the set changed, a
 * credential id is registered once, a use never brings a removed passkey
 * back, and a user's or a ticket's challenges stay few.
 */
/**
 * On the Redis and memory stores (passkeys in the store's hash), and on the
 * database the app keeps them in (PostgreSQL's engine, embedded: PGlite), with
 * challenges in the memory store: the same races hold on every backend.
 */
for (const storeName of ["memory", "redis", "database"] as const) {
  describe(`passkey races and limits (${storeName} store)`, () => {
    let kv: KvStore;
    let close: () => Promise<void>;
    let database: Database | undefined;
    let tickets: TicketService;
    let passkeys: Passkeys;
    const changes: PasskeyChange[] = [];

    beforeAll(async () => {
      if (storeName === "memory" || storeName === "database") {
        const memory = new MemoryKv();
        kv = memory;
        close = async () => memory.close();
      } else {
        const client = createRedis(inject("redisUrl"), 2000);
        await new Promise((resolve) => client.once("ready", resolve));
        kv = new RedisKv(client, 2000);
        close = async () => void (await client.quit());
      }
      let records: PasskeyRecords = new KvPasskeyRecords(kv);
      if (storeName === "database") {
        const dir = mkdtempSync(join(tmpdir(), "qrl-passkey-races-"));
        const settings = { kind: "pglite", dataDir: dir, timeoutMs: 5000 } as const;
        const opened = await openDatabase(settings);
        await migrate(opened, settings);
        database = opened;
        records = new DatabasePasskeyRecords(async () => opened);
        const closeKv = close;
        close = async () => {
          await closeKv();
          await opened.close();
          rmSync(dir, { recursive: true, force: true });
        };
      }
      tickets = new TicketService(kv, LIFETIMES);
      passkeys = new Passkeys(kv, RP, Date.now, records, {
        changed: (c) => void changes.push(c),
      });
    });
    afterAll(async () => close?.());

    /** A user (with its accounts row where passkeys live in the database). */
    async function newUser() {
      const id = `pat-${randomBytes(6).toString("hex")}`;
      await database?.db
        .insert(accounts)
        .values({ id, username: id, displayName: "Passkey Pat", passwordHash: "unused" });
      const asker = { userId: id, sessionId: randomBytes(16).toString("base64url") };
      return { asker, user: { id, username: id, displayName: "Passkey Pat" } };
    }

    async function userWithPasskey() {
      const { asker, user } = await newUser();
      const key = new SoftAuthenticator(RP);
      await passkeys.markReauthenticated(asker);
      await passkeys.register(
        asker,
        key.create(await passkeys.registrationOptions(user, asker)),
        "A",
      );
      return { asker, user, key };
    }

    it("refuses finishing a challenge begun before the account's passkeys changed (the stolen-session add)", async () => {
      const { asker, user } = await newUser();
      await passkeys.markReauthenticated(asker);
      // A copy of this session begins while the account has no passkey ...
      const thiefOptions = await passkeys.registrationOptions(user, asker);
      // ... the owner adds theirs ...
      const owner = new SoftAuthenticator(RP);
      await passkeys.register(
        asker,
        owner.create(await passkeys.registrationOptions(user, asker)),
        "Mine",
      );
      // ... and the old challenge no longer adds anything.
      const thief = new SoftAuthenticator(RP);
      expect(await refusal(passkeys.register(asker, thief.create(thiefOptions), "Thief"))).toBe(
        "conflict",
      );
      expect((await passkeys.status(asker.userId)).passkeys.map((p) => p.id)).toEqual([owner.id]);
    });

    it("registers a credential id once: over the owner's passkey, or in another account, it is refused", async () => {
      const { asker, user, key } = await userWithPasskey();
      const clone = new SoftAuthenticator(RP);
      (clone as unknown as { credentialId: Buffer }).credentialId = key.credentialId;
      const proof = key.get(await passkeys.stepUpOptions(asker));
      const options = await passkeys.registrationOptions(user, asker, proof);
      expect(await refusal(passkeys.register(asker, clone.create(options), "Swap"))).toBe(
        "conflict",
      );
      const other = await newUser();
      await passkeys.markReauthenticated(other.asker);
      const otherOptions = await passkeys.registrationOptions(other.user, other.asker);
      expect(await refusal(passkeys.register(other.asker, clone.create(otherOptions), "X"))).toBe(
        "conflict",
      );
      expect((await passkeys.status(other.asker.userId)).passkeys).toEqual([]);
      // The owner's passkey still works: it was not overwritten.
      const ticket = await tickets.scan((await tickets.create(requester)).ticket.id, asker.userId);
      const approval = key.get(await passkeys.approvalOptions(ticket, asker));
      await passkeys.verifyApproval(ticket.id, await tickets.get(ticket.id), asker, approval);
      expect(changes.filter((c) => c.userId === other.asker.userId)).toEqual([]);
      expect(changes.filter((c) => c.userId === asker.userId).map((c) => c.kind)).toEqual([
        "added",
      ]);
    });

    it("the first passkey and turning the setting on need the password again; the setting needs a passkey", async () => {
      const { asker, user } = await newUser();
      expect(await refusal(passkeys.registrationOptions(user, asker))).toBe("reauth_required");
      expect(await refusal(passkeys.setRequired(asker, true))).toBe("passkey_required");
      await passkeys.markReauthenticated(asker);
      const key = new SoftAuthenticator(RP);
      await passkeys.register(
        asker,
        key.create(await passkeys.registrationOptions(user, asker)),
        "A",
      );
      await passkeys.setRequired(asker, true);
      // Another session (a copy would share this one's mark; a separate one has none).
      const fresh = { ...asker, sessionId: randomBytes(16).toString("base64url") };
      await passkeys.setRequired(fresh, false, key.get(await passkeys.stepUpOptions(fresh)));
      expect(await refusal(passkeys.setRequired(fresh, true))).toBe("reauth_required");
    });

    it("never brings a removed passkey back when a use races its removal (20 trials)", async () => {
      let back = 0;
      for (let trial = 0; trial < 20; trial++) {
        const { asker, key } = await userWithPasskey();
        const ticket = await tickets.scan(
          (await tickets.create(requester)).ticket.id,
          asker.userId,
        );
        const stepUp = key.get(await passkeys.stepUpOptions(asker));
        const approval = key.get(await passkeys.approvalOptions(ticket, asker));
        const current = await tickets.get(ticket.id);
        const removal = passkeys.remove(asker, key.id, stepUp);
        const use = (async () => {
          for (let i = 0; i < trial % 4; i++) await new Promise((r) => setImmediate(r));
          await passkeys.verifyApproval(ticket.id, current, asker, approval);
        })();
        const [removed] = await Promise.allSettled([removal, use]);
        expect(removed.status).toBe("fulfilled");
        if ((await passkeys.status(asker.userId)).passkeys.length > 0) back += 1;
      }
      expect(back).toBe(0);
    });

    it("keeps at most 5 challenges per user and per ticket, the newest", async () => {
      const { asker, key } = await userWithPasskey();
      const options = [];
      for (let i = 0; i < 30; i++) options.push(await passkeys.stepUpOptions(asker));
      const challenges = await kv.getHash(keys.passkeyChallenges(asker.userId));
      expect(Object.keys(challenges ?? {})).toHaveLength(5);
      // The oldest was dropped; the newest still works.
      const first = options[0] as { challenge: string };
      const last = options[29] as { challenge: string };
      expect(await refusal(passkeys.setRequired(asker, false, key.get(first)))).toBe(
        "passkey_failed",
      );
      await passkeys.setRequired(asker, false, key.get(last));

      const ticket = await tickets.scan((await tickets.create(requester)).ticket.id, asker.userId);
      for (let i = 0; i < 30; i++) await passkeys.approvalOptions(ticket, asker);
      const forTicket = await kv.getHash(keys.approvalChallenges(ticket.id));
      expect(Object.keys(forTicket ?? {})).toHaveLength(5);
    });
  });
}
