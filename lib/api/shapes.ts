import { z } from "zod";
import { TICKET_STATES } from "../tickets/machine";

/**
 * The API's answers, defined once (PROTOCOL.md v2). The server's views are
 * typed by them; the browser client (components/api-client.ts), the
 * command-line phone (scripts/phone.ts) and the benchmark import the types.
 * A pure module: no server code, safe for the browser (which imports types only).
 */

const isoTime = z.iso.datetime();

export const ticketState = z.enum(TICKET_STATES);

/** Who a session or a requester is: browser and OS from the user agent, and the IP address. */
export const device = z.object({ browser: z.string(), os: z.string(), ip: z.string() });
export type Device = z.infer<typeof device>;

/** `POST /api/qr` → 201 */
export const createdTicket = z.object({
  ticketId: z.string(),
  scanUrl: z.url(),
  userCode: z.string(),
  expiresAt: isoTime,
  pollIntervalMs: z.number().int(),
});
export type CreatedTicket = z.infer<typeof createdTicket>;

/** `GET /api/qr/{ticketId}` → 200 */
export const ticketStatus = z.object({
  state: ticketState,
  version: z.number().int(),
  expiresAt: isoTime,
  /** Who scanned (from `scanned` on); with the username once it approved and the page must ask. */
  scanner: z.object({ displayName: z.string(), username: z.string().optional() }).optional(),
  /**
   * `confirmed` by an account that never signed in from this browser: before
   * claiming, the page asks "Continue as {displayName} ({username})?" and the
   * claim carries `continueAs` = `scanner.username`; or the person refuses it
   * (`POST /api/qr/{ticketId}/refuse`). Absent: the claim goes on at once.
   */
  continueRequired: z.boolean().optional(),
  /**
   * While pending: the URL the QR should show now. Its token changes each
   * rotation slot (the version does not: a rotation writes nothing); a
   * replaced one stops scanning after the grace.
   */
  scanUrl: z.url().optional(),
});
export type TicketStatus = z.infer<typeof ticketStatus>;

/**
 * Signs that a scanned code may have been relayed by someone else (QRLJacking):
 * `different_network` (the computer asked from another network than the
 * phone is on), `different_country` (the GeoIP database puts the computer
 * and the phone in different countries), `old_code` (the code was made a
 * while before this scan).
 */
export const scanWarning = z.enum(["different_network", "different_country", "old_code"]);
export type ScanWarning = z.infer<typeof scanWarning>;

/**
 * Where the requester is, roughly: `local` for a private or loopback address
 * ("on your local network"); otherwise what the GeoIP database says: country
 * (ISO 3166-1 alpha-2), region and city, each when known.
 */
export const location = z.object({
  local: z.boolean(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  region: z.string().optional(),
  city: z.string().optional(),
});
export type Location = z.infer<typeof location>;

/** `POST /api/qr/{ticketId}/scan` → 200 */
export const scannedTicket = z.object({
  ticketId: z.string(),
  state: ticketState,
  /** The app the computer signs in to (an OpenID Connect client of this site), when it is one. */
  app: z.string().optional(),
  userCode: z.string(),
  expiresAt: isoTime,
  requester: device.extend({
    createdAt: isoTime,
    /** Absent when unknown (no GeoIP database, or an address it does not know). */
    location: location.optional(),
    /** Whether this user signed in by QR from this browser before (its device cookie); absent when the browser sent none. */
    signedInBefore: z.boolean().optional(),
  }),
  warnings: z.array(scanWarning),
});
export type ScannedTicket = z.infer<typeof scannedTicket>;

/**
 * `GET /api/qr/{ticketId}/approval` → 200: the ticket as the phone that scanned
 * it follows it (after Approve: `consumed` once the computer signed in,
 * `expired` if it never did); `approved`: this account approved it (so an
 * `expired` means the computer did not finish); `computer`: who asked.
 */
export const ticketApproval = z.object({
  state: ticketState,
  version: z.number().int(),
  expiresAt: isoTime,
  approved: z.boolean(),
  computer: device,
  /** Approved, and the computer asks its user "Continue as …?" first (this account is new to that browser). */
  continueRequired: z.boolean().optional(),
  /** `cancelled` because the person at the computer said "This isn't me" to this account. */
  refused: z.boolean().optional(),
});
export type TicketApproval = z.infer<typeof ticketApproval>;

/**
 * `POST /api/qr/lookup` → 200: the ticket a typed code names, and the QR
 * token on screen now to scan it with (`t` of the scan; "" only without rotation).
 */
export const lookupAnswer = z.object({ ticketId: z.string(), qrToken: z.string() });
export type LookupAnswer = z.infer<typeof lookupAnswer>;

/** `POST /api/qr/{ticketId}/confirm|deny|report` → 200 */
export const ticketAnswer = z.object({ state: ticketState });

/** `POST /api/mobile/sessions` → 201 */
export const mobileSession = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), displayName: z.string() }),
  expiresAt: isoTime,
});
export type MobileSession = z.infer<typeof mobileSession>;

export const sessionKind = z.enum(["phone", "computer"]);
export type SessionKind = z.infer<typeof sessionKind>;
/** How a session was made: the password form, a native app's sign-in, or a QR claim. */
export const sessionMethod = z.enum(["password", "app", "qr"]);
export type SessionMethod = z.infer<typeof sessionMethod>;

/** One signed-in phone or computer, as `GET /api/sessions` lists it (PROTOCOL v2). */
export const sessionInfo = z.object({
  id: z.string(),
  kind: sessionKind,
  method: sessionMethod,
  /** The session making this request. */
  current: z.boolean(),
  device,
  createdAt: isoTime,
  lastSeenAt: isoTime,
  expiresAt: isoTime,
  /** For a computer made by QR: the phone session that approved it. */
  approvedBy: z.string().optional(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

/** `GET /api/sessions` → 200 */
export const sessionList = z.object({ sessions: z.array(sessionInfo) });

/** `DELETE /api/sessions` and a session's report → 200: how many sessions ended. */
export const signedOut = z.object({ signedOut: z.number().int() });
export type SignedOut = z.infer<typeof signedOut>;

/** `GET /api/health` → 200 (503 adds the error object). */
export const health = z.object({ status: z.string(), store: z.enum(["redis", "memory"]) });
export type Health = z.infer<typeof health>;

/** Every error: `{error: {code, message, state?}}`. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), state: ticketState.optional() }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** A computer signed in by QR, shown on the account's other phones until dismissed. */
export const signInNotice = z.object({
  /** The computer's session: `DELETE /api/sessions/{sessionId}` signs it out. */
  sessionId: z.string(),
  device,
  signedInAt: isoTime,
  /**
   * This phone session approved it. Shown all the same: a copy of this
   * phone's sign-in (a stolen cookie or token) approves as this session, and
   * the owner must see a sign-in they did not make.
   */
  approvedHere: z.boolean(),
});
export type SignInNotice = z.infer<typeof signInNotice>;

/** A passkey added to or removed from the account by another phone session. */
export const passkeyChangeNotice = z.object({
  /** `POST /api/notices/{id}/dismiss` hides it on every phone. */
  id: z.string(),
  /** `recovered`: a recovery code (and the password) removed the account's passkeys; `name` is empty. */
  kind: z.enum(["added", "removed", "recovered"]),
  name: z.string(),
  at: isoTime,
});
export type PasskeyChangeNotice = z.infer<typeof passkeyChangeNotice>;

/** `GET /api/notices` → 200 */
export const noticeList = z.object({
  notices: z.array(signInNotice),
  passkeyChanges: z.array(passkeyChangeNotice),
});
export type NoticeList = z.infer<typeof noticeList>;

/** `GET /api/passkeys/recovery-codes` → 200 */
export const recoveryCodesLeft = z.object({ remaining: z.number().int() });
export type RecoveryCodesLeft = z.infer<typeof recoveryCodesLeft>;

/** Ten new one-time recovery codes (`ABCDE-23456`), shown this once; every older code is void. */
export const recoveryCodesIssued = z.object({ codes: z.array(z.string()) });

/** `POST /api/recovery` → 200 */
export const recovered = z.object({
  passkeysRemoved: z.number().int(),
  codesLeft: z.number().int(),
  signedOut: z.number().int(),
});
export type Recovered = z.infer<typeof recovered>;

/** A registered passkey (its public key stays on the server). */
export const passkeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: isoTime,
  lastUsedAt: isoTime.optional(),
});
export type PasskeyInfo = z.infer<typeof passkeyInfo>;

/** `GET /api/passkeys` → 200 */
export const passkeyList = z.object({
  passkeys: z.array(passkeyInfo),
  /** The account setting "require a passkey to approve". */
  requireForApproval: z.boolean(),
  /** Whether approving needs a passkey now (any passkey, or the setting). */
  required: z.boolean(),
});
export type PasskeyList = z.infer<typeof passkeyList>;

/** `POST /api/passkeys/registration/finish` → 201 */
export const passkeyCreated = z.object({
  passkey: passkeyInfo,
  /** The account's first recovery codes, with its first passkey (this answer only). */
  recoveryCodes: z.array(z.string()).optional(),
});

/** `POST /api/passkeys/reauth` → 200 */
export const reauthenticated = z.object({ reauthenticatedUntil: isoTime });

/** `PUT /api/passkeys/setting` → 200 */
export const passkeySetting = passkeyList
  .pick({ requireForApproval: true, required: true })
  .extend({ recoveryCodes: z.array(z.string()).optional() });

/** WebAuthn options for navigator.credentials.create/get (SimpleWebAuthn's *OptionsJSON). */
export const webauthnOptions = z.looseObject({ challenge: z.string() });

/** An account as `GET /api/account` shows it (never its password hash). */
export const accountInfo = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  createdAt: isoTime,
});

/** `POST /api/accounts`: the new account, signed in as a native app (a phone session). */
export const accountCreated = mobileSession.extend({
  user: accountInfo.pick({ id: true, username: true, displayName: true }),
});

/** `POST /api/account/password` → 200: how many other sessions were signed out. */
export const passwordChanged = z.object({ changed: z.literal(true), signedOut: z.number().int() });

/** `DELETE /api/account` → 200: how many sessions ended (the asking one included). */
export const accountDeleted = z.object({ deleted: z.literal(true), signedOut: z.number().int() });
