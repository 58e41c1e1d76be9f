import { z } from "zod";
import { signInBody } from "@/app/api/mobile/sessions/schema";
import { scanQuery } from "@/app/api/qr/[ticketId]/scan/schema";
import { ticketParams } from "@/app/api/qr/[ticketId]/schema";
import { statusQuery } from "@/app/api/qr/[ticketId]/status";
import { lookupBody } from "@/app/api/qr/lookup/schema";
import { recoveryBody } from "@/app/api/recovery/schema";
import { sessionParams } from "@/app/api/sessions/[sessionId]/schema";
import * as shapes from "@/lib/api/shapes";
import {
  finishApproval,
  finishRegistration,
  passkeyParams,
  reauthBody,
  requireSetting,
  stepUp,
} from "@/lib/passkeys/schema";
import { WEBHOOK_TYPES, webhookPayload } from "@/lib/webhooks/events";

/**
 * The API as an OpenAPI 3.1 document, generated from the zod schemas the
 * routes parse their input with and the shapes their answers are typed by
 * (lib/api/shapes.ts), through zod's own JSON Schema output. The tests
 * validate it with an OpenAPI validator, check that every route under
 * app/api is in it, and check the flow tests' answers against it.
 */
const schema = (s: z.ZodType, io: "input" | "output" = "output") => {
  const { $schema: _, ...json } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return json;
};

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
  SignedOut: z.object({ signedOut: z.number().int() }),
  Health: z.object({ status: z.string(), store: z.enum(["redis", "memory"]) }),
  WebAuthnOptions: shapes.webauthnOptions,
  PasskeyList: shapes.passkeyList,
  PasskeyCreated: z.object({
    passkey: shapes.passkeyInfo,
    /** The account's first recovery codes, with its first passkey (this answer only). */
    recoveryCodes: z.array(z.string()).optional(),
  }),
  Reauthenticated: z.object({ reauthenticatedUntil: z.iso.datetime() }),
  PasskeySetting: shapes.passkeyList
    .pick({ requireForApproval: true, required: true })
    .extend({ recoveryCodes: z.array(z.string()).optional() }),
  RecoveryCodesLeft: shapes.recoveryCodesLeft,
  RecoveryCodesIssued: shapes.recoveryCodesIssued,
  Recovered: shapes.recovered,
  NoticeList: shapes.noticeList,
} satisfies Record<string, z.ZodType>;

type Component = keyof typeof COMPONENTS;

const ERROR_TEXT: Record<number, string> = {
  400: "Malformed input, or a passkey answer that does not check out (passkey_failed: ask for new options)",
  401: "Not signed in, or the token is invalid",
  403: "Cross-site request, a computer's session (not_an_approver), another account's ticket, or a passkey is required (passkey_required)",
  404: "Unknown id (or a missing or wrong binding secret)",
  405: "Method not allowed (see Allow)",
  409: "The ticket is in another state",
  410: "The ticket expired, or (scan) the QR was replaced by a newer one: `qr_replaced`",
  411: "Body without Content-Length (next-auth's routes)",
  413: "Body over 8 KiB",
  415: "Body is not application/json",
  429: "Rate limited (see Retry-After)",
  503: "The store is unreachable or stalled (see Retry-After)",
};

interface Operation {
  summary: string;
  tag: string;
  ok: [status: number, body: Component | null];
  errors: number[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  auth?: "approver" | "binding" | "metrics";
}

const APPROVER = [400, 401, 403, 404, 409, 410, 503];

const OPERATIONS: Record<string, Record<string, Operation>> = {
  "/api/qr": {
    post: {
      summary: "Create a ticket; sets the binding cookie",
      tag: "requester",
      ok: [201, "CreatedTicket"],
      errors: [403, 413, 429, 503],
    },
  },
  "/api/qr/{ticketId}": {
    get: {
      summary:
        "Status; with `since` equal to the current version, waits up to `wait` s for a change",
      tag: "requester",
      ok: [200, "TicketStatus"],
      errors: [400, 404, 429, 503],
      params: ticketParams,
      query: statusQuery,
      auth: "binding",
    },
    delete: {
      summary: "Cancel",
      tag: "requester",
      ok: [204, null],
      errors: [400, 403, 404, 409, 410, 503],
      params: ticketParams,
      auth: "binding",
    },
  },
  "/api/qr/{ticketId}/refuse": {
    post: {
      summary:
        "“This isn't me” on the computer: a ticket confirmed with `continueRequired` is cancelled for good (never claimed); the approving phone reads `refused`",
      tag: "requester",
      ok: [204, null],
      errors: [400, 403, 404, 409, 410, 503],
      params: ticketParams,
      auth: "binding",
    },
  },
  "/api/qr/{ticketId}/scan": {
    post: {
      summary:
        "Scan: bind the ticket to this user and see who is asking; `t` is the token the QR's URL carried",
      tag: "approver",
      ok: [200, "ScannedTicket"],
      errors: APPROVER,
      params: ticketParams,
      query: scanQuery,
      auth: "approver",
    },
  },
  "/api/qr/{ticketId}/approval": {
    get: {
      summary:
        "The scanner follows the ticket; with `since` equal to the current version, waits up to `wait` s for a change",
      tag: "approver",
      ok: [200, "TicketApproval"],
      errors: [400, 401, 403, 404, 429, 503],
      params: ticketParams,
      query: statusQuery,
      auth: "approver",
    },
  },
  "/api/qr/{ticketId}/confirm": {
    post: {
      summary: "Approve",
      tag: "approver",
      ok: [200, "TicketAnswer"],
      errors: APPROVER,
      params: ticketParams,
      auth: "approver",
    },
  },
  "/api/qr/{ticketId}/deny": {
    post: {
      summary: "Decline",
      tag: "approver",
      ok: [200, "TicketAnswer"],
      errors: APPROVER,
      params: ticketParams,
      auth: "approver",
    },
  },
  "/api/qr/{ticketId}/report": {
    post: {
      summary: "“This wasn't me”: decline and record it",
      tag: "approver",
      ok: [200, "TicketAnswer"],
      errors: APPROVER,
      params: ticketParams,
      auth: "approver",
    },
  },
  "/api/qr/{ticketId}/passkey/begin": {
    post: {
      summary:
        "Options for navigator.credentials.get to approve this scanned ticket (challenge bound to the ticket and its version, one-time, user verification required)",
      tag: "passkeys",
      ok: [200, "WebAuthnOptions"],
      errors: APPROVER,
      params: ticketParams,
      auth: "approver",
    },
  },
  "/api/qr/{ticketId}/passkey/finish": {
    post: {
      summary:
        "Approve with a passkey: the assertion for the options of `passkey/begin` (AuthenticationResponseJSON). Any failure leaves the ticket unchanged",
      tag: "passkeys",
      ok: [200, "TicketAnswer"],
      errors: [...APPROVER, 415],
      params: ticketParams,
      body: finishApproval,
      auth: "approver",
    },
  },
  "/api/qr/lookup": {
    post: {
      summary: "The ticket a typed user code names",
      tag: "approver",
      ok: [200, "LookupAnswer"],
      errors: [400, 401, 403, 404, 415, 429, 503],
      body: lookupBody,
      auth: "approver",
    },
  },
  "/api/mobile/sessions": {
    post: {
      summary: "Native-app sign-in: a bearer token (a phone session)",
      tag: "approver",
      ok: [201, "MobileSession"],
      errors: [400, 401, 415, 429, 503],
      body: signInBody,
    },
  },
  "/api/mobile/sessions/current": {
    delete: {
      summary: "Sign this token out (with the computers it approved)",
      tag: "approver",
      ok: [204, null],
      errors: [401, 503],
      auth: "approver",
    },
  },
  "/api/sessions": {
    get: {
      summary: "Every live session of this user: phones and computers",
      tag: "session registry",
      ok: [200, "SessionList"],
      errors: [401, 403, 503],
      auth: "approver",
    },
    delete: {
      summary: "Sign out every session of this user but this one",
      tag: "session registry",
      ok: [200, "SignedOut"],
      errors: [401, 403, 503],
      auth: "approver",
    },
  },
  "/api/sessions/{sessionId}": {
    delete: {
      summary: "Sign that session out (a phone: with the computers it approved)",
      tag: "session registry",
      ok: [204, null],
      errors: [400, 401, 403, 404, 503],
      params: sessionParams,
      auth: "approver",
    },
  },
  "/api/sessions/{sessionId}/report": {
    post: {
      summary: "“This wasn't me” for a computer: sign it out and record it",
      tag: "session registry",
      ok: [200, "SignedOut"],
      errors: [400, 401, 403, 404, 503],
      params: sessionParams,
      auth: "approver",
    },
  },
  "/api/passkeys": {
    get: {
      summary: "This account's passkeys and whether approving needs one",
      tag: "passkeys",
      ok: [200, "PasskeyList"],
      errors: [401, 403, 503],
      auth: "approver",
    },
  },
  "/api/passkeys/registration/begin": {
    post: {
      summary:
        "Options for navigator.credentials.create; with a passkey already registered, `stepUp` (an assertion for the options of `/api/passkeys/step-up`) is required, for the first one a recent `/api/passkeys/reauth` (else 403 reauth_required); limited per user (429)",
      tag: "passkeys",
      ok: [200, "WebAuthnOptions"],
      errors: [400, 401, 403, 415, 429, 503],
      body: stepUp,
      auth: "approver",
    },
  },
  "/api/passkeys/registration/finish": {
    post: {
      summary:
        "Keep the new passkey (RegistrationResponseJSON for the options of `begin`); 409 conflict when the credential is registered already (to any account) or the account's passkeys changed since `begin`",
      tag: "passkeys",
      ok: [201, "PasskeyCreated"],
      errors: [400, 401, 403, 409, 415, 503],
      body: finishRegistration,
      auth: "approver",
    },
  },
  "/api/passkeys/{passkeyId}": {
    delete: {
      summary:
        "Remove a passkey; needs `stepUp`; 409 for the last one while “require a passkey” is on",
      tag: "passkeys",
      ok: [204, null],
      errors: [400, 401, 403, 404, 409, 415, 503],
      params: passkeyParams,
      body: stepUp,
      auth: "approver",
    },
  },
  "/api/passkeys/setting": {
    put: {
      summary:
        "“Require a passkey to approve”; turning it on needs a passkey and a recent `/api/passkeys/reauth` (403 reauth_required), turning it off while a passkey exists needs `stepUp`",
      tag: "passkeys",
      ok: [200, "PasskeySetting"],
      errors: [400, 401, 403, 415, 503],
      body: requireSetting,
      auth: "approver",
    },
  },
  "/api/passkeys/step-up": {
    post: {
      summary:
        "Options for navigator.credentials.get before an account change; its answer is that change's `stepUp` (one-time)",
      tag: "passkeys",
      ok: [200, "WebAuthnOptions"],
      errors: [401, 403, 404, 429, 503],
      auth: "approver",
    },
  },
  "/api/passkeys/reauth": {
    post: {
      summary:
        "The account's password entered again (under the sign-in limits): for 5 minutes this phone session may add its first passkey or turn “require a passkey” on",
      tag: "passkeys",
      ok: [200, "Reauthenticated"],
      errors: [400, 401, 403, 415, 429, 503],
      body: reauthBody,
      auth: "approver",
    },
  },
  "/api/passkeys/recovery-codes": {
    get: {
      summary: "How many unused one-time recovery codes this account has",
      tag: "passkeys",
      ok: [200, "RecoveryCodesLeft"],
      errors: [401, 403, 503],
      auth: "approver",
    },
    post: {
      summary:
        "Ten new recovery codes, replacing every old one, shown in this answer only; needs a recent `/api/passkeys/reauth` (403 reauth_required)",
      tag: "passkeys",
      ok: [201, "RecoveryCodesIssued"],
      errors: [401, 403, 503],
      auth: "approver",
    },
  },
  "/api/recovery": {
    post: {
      summary:
        "Lost passkey: username, password and one unused recovery code (used up) remove the account's passkeys and turn “require a passkey” off, sign its other sessions out (a phone session of the same account that asks stays) and tell its phones and the webhook (`account.recovered`); one answer (401 invalid_credentials) for any wrong part, 403 account_disabled for a disabled account; limited per username and IP (429)",
      tag: "passkeys",
      ok: [200, "Recovered"],
      errors: [400, 401, 403, 413, 415, 429, 503],
      body: recoveryBody,
    },
  },
  "/api/notices": {
    get: {
      summary:
        "New sign-ins on computers (last 7 days, not dismissed; the ones this phone approved marked `approvedHere`) and passkeys added or removed by the account's other phones",
      tag: "notices",
      ok: [200, "NoticeList"],
      errors: [401, 403, 503],
      auth: "approver",
    },
  },
  "/api/notices/{sessionId}/dismiss": {
    post: {
      summary:
        "“Yes, it was me”: hide the notice on every phone (sign it out with DELETE /api/sessions/{sessionId})",
      tag: "notices",
      ok: [204, null],
      errors: [400, 401, 403, 404, 503],
      params: sessionParams,
      auth: "approver",
    },
  },
  "/api/health": {
    get: {
      summary: "Readiness: the store answers",
      tag: "operations",
      ok: [200, "Health"],
      errors: [503],
    },
  },
  "/api/health/live": {
    get: { summary: "Liveness, without the store", tag: "operations", ok: [200, null], errors: [] },
  },
  "/api/metrics": {
    get: {
      summary: "Prometheus text (when METRICS_TOKEN is set)",
      tag: "operations",
      ok: [200, null],
      errors: [401, 404],
      auth: "metrics",
    },
  },
  "/api/openapi.json": {
    get: { summary: "This document", tag: "operations", ok: [200, null], errors: [] },
  },
};

const SECURITY = {
  approver: [{ phoneBearer: [] }, { phoneCookie: [] }],
  binding: [{ bindingCookie: [] }],
  metrics: [{ metricsBearer: [] }],
} as const;

const json = (ref: Component) => ({
  "application/json": { schema: { $ref: `#/components/schemas/${ref}` } },
});

function parameters(o: Operation) {
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

function operation(o: Operation) {
  const [status, body] = o.ok;
  const responses: Record<string, unknown> = {
    [status]: { description: o.summary, ...(body ? { content: json(body) } : {}) },
    405: { description: ERROR_TEXT[405], content: json("Error") },
    500: { description: "Unexpected failure (generic message)", content: json("Error") },
  };
  for (const e of o.errors) responses[e] = { description: ERROR_TEXT[e], content: json("Error") };
  return {
    summary: o.summary,
    tags: [o.tag],
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
        "Scan-with-your-phone login (PROTOCOL v2). Every error is `{error: {code, message}}`; every response carries `Cache-Control: no-store`; bodies are JSON, at most 8 KiB. The desktop claims a confirmed ticket through next-auth: `POST /api/auth/callback/qr` (form fields `ticketId`, `csrfToken` from `GET /api/auth/csrf`, and when the status says `continueRequired`, `continueAs` = `scanner.username` after the person at the computer chose to continue as that account; without it the claim is refused with `continue_required` and nothing changes).",
    },
    paths: Object.fromEntries(
      Object.entries(OPERATIONS).map(([path, ops]) => [
        path,
        Object.fromEntries(Object.entries(ops).map(([method, o]) => [method, operation(o)])),
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
