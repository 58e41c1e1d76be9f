import { z } from "zod";
import * as shapes from "@/lib/api/shapes";
import { errorsByStatus } from "@/lib/http/errors";
import type { RouteSpec } from "@/lib/http/handler";
import { WEBHOOK_TYPES, webhookPayload } from "@/lib/webhooks/events";
import { API_ROUTES, servedMethods } from "../routes";

/**
 * The API as an OpenAPI 3.1 document, generated from the route specs
 * (app/api/routes.ts lists every route; each `route({...})` holds its
 * summary, auth, inputs, success and errors) and the error table
 * (lib/http/errors.ts), through zod's own JSON Schema output. The tests
 * validate it with an OpenAPI validator, check that every route under
 * app/api is in it, and check real answers, per route, against it.
 */
const schema = (s: z.ZodType, io: "input" | "output" = "output") => {
  const { $schema: _, ...json } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return json;
};

/** The answer shapes by the names the document gives them (others are written inline). */
const COMPONENTS = {
  Error: shapes.errorBody,
  CreatedTicket: shapes.createdTicket,
  TicketStatus: shapes.ticketStatus,
  ScannedTicket: shapes.scannedTicket,
  TicketApproval: shapes.ticketApproval,
  TicketAnswer: shapes.ticketAnswer,
  MobileSession: shapes.mobileSession,
  SessionList: shapes.sessionList,
  LookupAnswer: shapes.lookupAnswer,
  SignedOut: shapes.signedOut,
  Health: shapes.health,
  WebAuthnOptions: shapes.webauthnOptions,
  PasskeyList: shapes.passkeyList,
  PasskeyCreated: shapes.passkeyCreated,
  Reauthenticated: shapes.reauthenticated,
  PasskeySetting: shapes.passkeySetting,
  RecoveryCodesLeft: shapes.recoveryCodesLeft,
  RecoveryCodesIssued: shapes.recoveryCodesIssued,
  Recovered: shapes.recovered,
  NoticeList: shapes.noticeList,
  Account: shapes.accountInfo,
  AccountCreated: shapes.accountCreated,
  PasswordChanged: shapes.passwordChanged,
  AccountDeleted: shapes.accountDeleted,
} satisfies Record<string, z.ZodType>;

const NAMES = new Map<z.ZodType, string>(Object.entries(COMPONENTS).map(([n, s]) => [s, n]));

/** A status's description: every error code it can carry, with the message the table gives it. */
function errorText(status: number): string {
  const codes = errorsByStatus().get(status) ?? [];
  return codes.map(([code, message]) => `\`${code}\`: ${message}`).join(" · ");
}

const SECURITY = {
  approver: [{ phoneBearer: [] }, { phoneCookie: [] }],
  binding: [{ bindingCookie: [] }],
  metrics: [{ metricsBearer: [] }],
} as const;

const jsonContent = (shape: z.ZodType) => {
  const name = NAMES.get(shape);
  return {
    "application/json": {
      schema: name ? { $ref: `#/components/schemas/${name}` } : schema(shape),
    },
  };
};

function parameters(o: RouteSpec) {
  const list = [];
  for (const [where, s] of [
    ["path", o.params],
    ["query", o.query],
  ] as const) {
    if (!s) continue;
    const js = schema(s, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(js.properties ?? {})) {
      list.push({
        name,
        in: where,
        required: where === "path" || (js.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return list;
}

function operation(o: RouteSpec, path: string) {
  if (!o.summary || !o.ok) throw new Error(`${path}: its route spec needs a summary and ok`);
  const [status, body] = o.ok;
  const responses: Record<string, unknown> = {
    [status]: { description: o.summary, ...(body ? { content: jsonContent(body) } : {}) },
  };
  for (const e of [...(o.errors ?? []), 405, 500]) {
    responses[e] = { description: errorText(e), content: jsonContent(shapes.errorBody) };
  }
  return {
    summary: o.summary,
    tags: [o.tag ?? "other"],
    parameters: parameters(o),
    ...(o.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schema(o.body, "input") } },
          },
        }
      : {}),
    ...(o.auth ? { security: SECURITY[o.auth] } : {}),
    responses,
  };
}

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "QR login",
      version: "2",
      description:
        "Scan-with-your-phone login (PROTOCOL v2). Every error is `{error: {code, message}}`; every response carries `Cache-Control: no-store`; bodies are JSON, at most 8 KiB. The desktop claims a confirmed ticket through next-auth: `POST /api/auth/callback/qr` (form fields `ticketId`, `csrfToken` from `GET /api/auth/csrf`, and when the status says `continueRequired`, `continueAs` = `scanner.username` after the person at the computer chose to continue as that account; without it the claim is refused with `continue_required` and nothing changes). A claim the service could not take to its store answers 503 `store_unavailable` with `Retry-After`: claim again while the ticket is confirmed; a claim that did go through is answered with the same session to the same browser (binding cookie) for the confirmed window after it.",
    },
    paths: Object.fromEntries(
      Object.entries(API_ROUTES).map(([path, module]) => [
        path,
        Object.fromEntries(
          servedMethods(module).map(([method, r]) => [
            method.toLowerCase(),
            operation(r.spec, path),
          ]),
        ),
      ]),
    ),
    webhooks: Object.fromEntries(
      WEBHOOK_TYPES.map((type) => [
        type,
        {
          post: {
            summary: `${type}, signed per Standard Webhooks (headers webhook-id, webhook-timestamp, webhook-signature) to WEBHOOK_URL`,
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: schema(
                    webhookPayload.options.find((o) => o.shape.type.value === type) ??
                      webhookPayload,
                  ),
                },
              },
            },
            responses: { "2XX": { description: "Taken; anything else is retried with backoff" } },
          },
        },
      ]),
    ),
    components: {
      schemas: Object.fromEntries(Object.entries(COMPONENTS).map(([name, s]) => [name, schema(s)])),
      securitySchemes: {
        phoneBearer: {
          type: "http",
          scheme: "bearer",
          description: "A native app's token from POST /api/mobile/sessions",
        },
        phoneCookie: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description:
            "A phone browser's session (`__Secure-` prefixed on https); same-origin only",
        },
        bindingCookie: {
          type: "apiKey",
          in: "cookie",
          name: "qrl-{ticketId}",
          description: "The binding secret set by POST /api/qr (`__Host-` prefixed on https)",
        },
        metricsBearer: { type: "http", scheme: "bearer", description: "METRICS_TOKEN" },
      },
    },
  };
}
