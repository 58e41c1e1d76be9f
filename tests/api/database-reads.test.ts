import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTestDatabase } from "../support/app-server";
import { HttpClient } from "../support/http-client";
import { signedInPhone, useStack } from "../support/stack";

/**
 * What an approval asks of the database, counted by PostgreSQL itself
 * (pg_stat_statements, loaded by the test run's server): every approval is
 * CPU spent in the app, and on the embedded database in the app's own thread.
 * A scan and its confirm read whether the account knows the browser once
 * between them; a browser known to the account is not read again; the
 * passkey requirement is read at every confirm (never cached: it is a check).
 */
describe("database reads per approval", () => {
  let databaseUrl = "";
  let sql: Client;
  const stack = useStack({
    env: async () => {
      databaseUrl = (await newTestDatabase()) ?? "";
      if (!databaseUrl) throw new Error("this suite needs the test run's PostgreSQL");
      return { DATABASE_URL: databaseUrl };
    },
  });

  beforeAll(async () => {
    sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    await sql.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  });
  afterAll(async () => sql?.end());

  /** Calls so far of this database's statements whose text matches `pattern`. */
  async function calls(pattern: RegExp): Promise<number> {
    const { rows } = await sql.query<{ query: string; calls: string }>(
      `SELECT query, calls FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows.filter((r) => pattern.test(r.query)).reduce((n, r) => n + Number(r.calls), 0);
  }
  const KNOWN_BROWSER_READ = /^select .* from "known_browsers"/i;
  const PASSKEY_READ = /"passkey_required"/i;

  /** A new ticket on `desktop`, scanned and approved by `phone`; reads counted around the approval. */
  async function approve(desktop: HttpClient, phone: HttpClient) {
    const created = await desktop.fetch("/api/qr", { method: "POST" });
    expect(created.status).toBe(201);
    const { ticketId, scanUrl } = (await created.json()) as { ticketId: string; scanUrl: string };
    const t = new URL(scanUrl).searchParams.get("t") ?? "";
    const before = { known: await calls(KNOWN_BROWSER_READ), passkey: await calls(PASSKEY_READ) };
    const scan = await phone.fetch(`/api/qr/${ticketId}/scan?t=${t}`, { method: "POST" });
    expect(scan.status).toBe(200);
    const scanned = (await scan.json()) as { requester: { signedInBefore?: boolean } };
    const confirm = await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
    expect(confirm.status).toBe(200);
    const status = (await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as {
      continueRequired?: boolean;
    };
    return {
      ticketId,
      signedInBefore: scanned.requester.signedInBefore,
      continueRequired: status.continueRequired === true,
      knownReads: (await calls(KNOWN_BROWSER_READ)) - before.known,
      passkeyReads: (await calls(PASSKEY_READ)) - before.passkey,
    };
  }

  it("reads whether a new browser is known once for its scan and confirm, and a known one not again", async () => {
    const phone = await signedInPhone(stack.url, "bob", "builder");
    const desktop = new HttpClient(stack.url);

    const first = await approve(desktop, phone);
    expect(first).toMatchObject({ signedInBefore: false, continueRequired: true });
    expect(first.knownReads).toBe(1);
    expect(first.passkeyReads).toBeGreaterThanOrEqual(1);

    await desktop.nextAuthCallback("qr", { ticketId: first.ticketId, continueAs: "bob" });
    expect((await desktop.session()).user?.id).toBe("demo-bob");

    // The same browser, known since that claim: the scan says so and the computer is not asked.
    const again = await approve(desktop, phone);
    expect(again).toMatchObject({ signedInBefore: true, continueRequired: false });
    expect(again.knownReads).toBe(0);
    // The passkey requirement is read again: what the account requires is never taken on trust.
    expect(again.passkeyReads).toBeGreaterThanOrEqual(1);

    // Another account on that browser is still unknown there, and asked.
    const alice = await signedInPhone(stack.url);
    const other = await approve(desktop, alice);
    expect(other).toMatchObject({ signedInBefore: false, continueRequired: true });
    expect(other.knownReads).toBe(1);
  });
});
