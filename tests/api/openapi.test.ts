import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

type Operation = {
  responses: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
  requestBody?: unknown;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
};
type ResponseObject = { content?: { "application/json"?: { schema: { $ref: string } } } };

/** Every route.ts under app/api as an OpenAPI path (`[ticketId]` → `{ticketId}`). */
function routesOnDisk(dir = "app/api"): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...routesOnDisk(path));
    else if (entry.name === "route.ts") {
      found.push(`/${relative("app", dir)}`.replace(/\[([^\].]+)\]/g, "{$1}"));
    }
  }
  return found;
}

/** `GET /api/openapi.json` is valid OpenAPI 3.1, covers every route, and describes the API's real answers. */
describe("OpenAPI document", () => {
  const stack = useStack({ store: "memory", env: { SIGNUP: "open" } });
  let doc: Doc;
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);

  beforeAll(async () => {
    const res = await fetch(`${stack.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });

  /** Checks one answer against the document: its status is described, and its body fits the schema. */
  async function conforms(method: string, template: string, res: Response) {
    const operation = doc.paths[template]?.[method.toLowerCase()];
    expect(operation, `${method} ${template} is in the document`).toBeDefined();
    const described = operation?.responses[String(res.status)];
    expect(described, `${method} ${template} → ${res.status} is described`).toBeDefined();
    const ref = described?.content?.["application/json"]?.schema.$ref;
    if (!ref) return;
    const schema = doc.components.schemas[ref.split("/").pop() ?? ""];
    const validate = ajv.compile(schema ?? {});
    const body = await res.json();
    expect(
      validate(body),
      `${method} ${template} → ${res.status}: ${ajv.errorsText(validate.errors)}`,
    ).toBe(true);
  }

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every route the app serves", () => {
    const onDisk = routesOnDisk().filter((p) => !p.includes("[...") && !p.startsWith("/api/auth"));
    expect(onDisk.length).toBeGreaterThan(10);
    for (const path of onDisk) expect(Object.keys(doc.paths), path).toContain(path);
  });

  it("matches the answers of a whole login and of its errors", async () => {
    const desktop = new HttpClient(stack.url);
    const created = await desktop.fetch("/api/qr", { method: "POST" });
    const { ticketId, scanUrl } = (await created.clone().json()) as {
      ticketId: string;
      scanUrl: string;
    };
    await conforms("POST", "/api/qr", created);
    await conforms("GET", "/api/qr/{ticketId}", await desktop.fetch(`/api/qr/${ticketId}`));

    const signIn = await fetch(`${stack.url}/api/mobile/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password: "wonderland" }),
    });
    await conforms("POST", "/api/mobile/sessions", signIn);
    const { client: phone } = await signInNative(stack.url, "alice", "wonderland");
    const scan = scanPathOf(scanUrl);
    await conforms("POST", "/api/qr/{ticketId}/scan", await phone.fetch(scan, { method: "POST" }));
    await conforms(
      "POST",
      "/api/qr/{ticketId}/confirm",
      await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" }),
    );
    // Alice never signed in from this client: "Continue as …?" (continueRequired, the username).
    const asking = await desktop.fetch(`/api/qr/${ticketId}`);
    expect(await asking.clone().json()).toMatchObject({ continueRequired: true });
    await conforms("GET", "/api/qr/{ticketId}", asking);
    await desktop.claim(ticketId);
    expect(desktop.hasSessionCookie()).toBe(true);
    await conforms("GET", "/api/qr/{ticketId}", await desktop.fetch(`/api/qr/${ticketId}`));
    await conforms("GET", "/api/sessions", await phone.fetch("/api/sessions"));

    // Errors, in the error shape the document names.
    await conforms(
      "GET",
      "/api/qr/{ticketId}",
      await fetch(`${stack.url}/api/qr/${"A".repeat(24)}`),
    );
    await conforms("GET", "/api/qr/{ticketId}", await fetch(`${stack.url}/api/qr/nope`));
    await conforms(
      "POST",
      "/api/qr/lookup",
      await phone.fetch("/api/qr/lookup", { method: "POST", json: { userCode: "BCDF-GHJK" } }),
    );
    await conforms(
      "POST",
      "/api/qr/{ticketId}/confirm",
      await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" }),
    );
    await conforms(
      "POST",
      "/api/qr/{ticketId}/scan",
      await desktop.fetch(scan, { method: "POST", headers: { origin: stack.url } }),
    );
    await conforms(
      "DELETE",
      "/api/sessions",
      await phone.fetch("/api/sessions", { method: "DELETE" }),
    );
    await conforms("GET", "/api/health", await fetch(`${stack.url}/api/health`));
  });

  /** A syntactically valid value for each path parameter (naming nothing that exists). */
  const SAMPLE: Record<string, string> = {
    ticketId: "A".repeat(24),
    sessionId: "B".repeat(22),
    passkeyId: "C".repeat(16),
  };
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? "x");
  const UNSERVED = ["GET", "POST", "PUT", "PATCH", "DELETE"];

  it("per route: the methods, the auth and the statuses it states are what it answers", async () => {
    let checked = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      const path = fill(template);
      const served = Object.keys(operations).map((m) => m.toUpperCase());
      // Methods: every other one is a 405 in the error shape whose Allow names exactly these.
      const allow = [...served, ...(served.includes("GET") ? ["HEAD"] : [])].sort();
      for (const method of UNSERVED.filter((m) => !served.includes(m))) {
        const res = await fetch(`${stack.url}${path}`, { method });
        expect(res.status, `${method} ${template}`).toBe(405);
        const allowed = (res.headers.get("allow") ?? "").split(/,\s*/).sort();
        expect(allowed, `${method} ${template}: Allow`).toEqual(allow);
        await conforms(
          method === "GET" ? (served[0] ?? "GET") : (served[0] ?? "GET"),
          template,
          res,
        );
        checked++;
      }
      for (const [method, operation] of Object.entries(operations)) {
        const kind = Object.keys(operation.security?.[0] ?? {})[0];
        // Auth: without the credential the route states, it refuses with the status it documents.
        const res = await fetch(`${stack.url}${path}`, {
          method: method.toUpperCase(),
          ...(operation.requestBody
            ? { headers: { "content-type": "application/json" }, body: "{}" }
            : {}),
        });
        const expected =
          kind === "phoneBearer"
            ? 401
            : kind === "bindingCookie" || kind === "metricsBearer"
              ? 404
              : undefined;
        if (expected !== undefined) {
          expect(res.status, `${method} ${template} without ${kind}`).toBe(expected);
        }
        // Whatever it answered, the document describes (status and body).
        await conforms(method, template, res);
        // A path parameter that is not one: 400, documented.
        if (template.includes("{") && template !== "/api/openapi.json") {
          const malformed = template.replace(/\{\w+\}/, "not%20an%20id");
          const bad = await fetch(`${stack.url}${fill(malformed)}`, {
            method: method.toUpperCase(),
          });
          expect(bad.status, `${method} ${malformed}`).toBe(400);
          await conforms(method, template, bad);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("matches the answers of an account's life", async () => {
    const post = (json: unknown) =>
      fetch(`${stack.url}/api/accounts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(json),
      });
    const created = await post({ username: "olive", password: "olive-pass-1" });
    const { token } = (await created.clone().json()) as { token: string };
    await conforms("POST", "/api/accounts", created);
    await conforms(
      "POST",
      "/api/accounts",
      await post({ username: "olive", password: "x-pass-123" }),
    );
    await conforms("POST", "/api/accounts", await post({ username: "olive" }));
    const phone = new HttpClient(stack.url, { authorization: `Bearer ${token}` });
    await conforms("GET", "/api/account", await phone.fetch("/api/account"));
    await conforms(
      "PATCH",
      "/api/account",
      await phone.fetch("/api/account", { method: "PATCH", json: { displayName: "Olive O" } }),
    );
    const change = (currentPassword: string) =>
      phone.fetch("/api/account/password", {
        method: "POST",
        json: { currentPassword, newPassword: "olive-pass-2" },
      });
    await conforms("POST", "/api/account/password", await change("wrong-pass-1"));
    await conforms("POST", "/api/account/password", await change("olive-pass-1"));
    const remove = (password: string) =>
      phone.fetch("/api/account", { method: "DELETE", json: { password } });
    await conforms("DELETE", "/api/account", await remove("olive-pass-1"));
    const deleted = await remove("olive-pass-2");
    expect(deleted.status).toBe(200);
    await conforms("DELETE", "/api/account", deleted);
    await conforms("GET", "/api/account", await phone.fetch("/api/account"));
  });
});
