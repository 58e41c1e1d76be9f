import { z } from "zod";
import { device } from "../api/shapes";

/**
 * The webhook events (Standard Webhooks: `{type, timestamp, data}`), one zod
 * shape per type so the README, the OpenAPI-minded integrator and the tests
 * read the same definition. A pure module.
 */
export const WEBHOOK_TYPES = [
  "login.approved",
  "login.completed",
  "login.denied",
  "login.reported",
  "session.signed_out",
  "passkey.added",
  "passkey.removed",
  "account.deleted",
  "account.recovered",
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

const isoTime = z.iso.datetime();

/** A login request, by a reference that is not its ticket id (the id would let anyone scan it). */
const loginRequest = z.object({
  userId: z.string(),
  /** Stable for one login request across its events; not the ticket id. */
  requestId: z.string(),
  requester: device,
  requestedAt: isoTime,
});

/** A passkey added to or removed from an account. */
const passkeyChange = z.object({
  userId: z.string(),
  /** The credential id (public; the private key never leaves the authenticator). */
  passkeyId: z.string(),
  name: z.string(),
  /** The phone session that made the change. */
  sessionId: z.string(),
});

export const webhookPayload = z.discriminatedUnion("type", [
  z.object({ type: z.literal("login.approved"), timestamp: isoTime, data: loginRequest }),
  z.object({ type: z.literal("login.denied"), timestamp: isoTime, data: loginRequest }),
  z.object({ type: z.literal("login.reported"), timestamp: isoTime, data: loginRequest }),
  z.object({
    type: z.literal("login.completed"),
    timestamp: isoTime,
    data: loginRequest.extend({
      sessionId: z.string(),
      /** The computer as it claimed the session. */
      device,
      /** The phone session that approved it. */
      approvedBy: z.string(),
    }),
  }),
  z.object({
    type: z.literal("session.signed_out"),
    timestamp: isoTime,
    data: z.object({
      userId: z.string(),
      sessionId: z.string(),
      kind: z.enum(["phone", "computer"]),
      device,
      by: z.enum(["phone", "computer"]),
      /** "This wasn't me". */
      reported: z.boolean(),
    }),
  }),
  z.object({ type: z.literal("passkey.added"), timestamp: isoTime, data: passkeyChange }),
  z.object({ type: z.literal("passkey.removed"), timestamp: isoTime, data: passkeyChange }),
  z.object({
    type: z.literal("account.deleted"),
    timestamp: isoTime,
    data: z.object({
      userId: z.string(),
      username: z.string(),
      /** How many sessions the deletion signed out (the deleting one included). */
      signedOut: z.number().int(),
      /**
       * "phone": the person, from the phone app or a native app; "computer": the person, on a
       * computer's /account; "admin": `npm run users -- delete`.
       */
      by: z.enum(["phone", "computer", "admin"]),
    }),
  }),
  z.object({
    type: z.literal("account.recovered"),
    timestamp: isoTime,
    data: z.object({
      userId: z.string(),
      /** The passkeys the recovery removed (the lost one among them). */
      passkeysRemoved: z.number().int(),
      /** The account's other sessions signed out. */
      sessionsSignedOut: z.number().int(),
      /** Unused recovery codes left. */
      codesLeft: z.number().int(),
      /** Where the recovery came from. */
      device,
    }),
  }),
]);
export type WebhookPayload = z.infer<typeof webhookPayload>;
