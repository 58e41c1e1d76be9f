import "server-only";
import { STATUS_CODES } from "node:http";
import { Refusal, type RefusalCode } from "../errors";
import { json } from "./response";

/** Every error the API answers with: HTTP status and a message that says what to do next. */
const ERRORS = {
  invalid_request: [400, "The request is malformed."],
  invalid_json: [400, "The request body is not valid JSON."],
  passkey_failed: [400, "Your passkey could not be checked. Try again."],
  unauthorized: [401, "Sign in on the phone first."],
  invalid_credentials: [401, "Wrong username or password."],
  account_disabled: [403, "This account is disabled. Ask the site's administrator."],
  signup_closed: [
    403,
    "Sign-up is closed on this site. Ask the site's administrator for an account.",
  ],
  cross_site: [403, "Cross-site requests are not allowed; use this site's own pages."],
  not_an_approver: [
    403,
    "This is a computer's session. Approve sign-ins from your phone, where you are signed in.",
  ],
  not_scanner: [403, "Another account scanned this code; only that account can answer it."],
  passkey_required: [403, "Approve with your passkey: your account requires it."],
  wrong_password: [403, "That is not your current password. Check it and try again."],
  reauth_required: [403, "Enter your password again to make this change."],
  not_found: [404, "No such login code. Refresh the login page for a new one."],
  already_scanned: [409, "This code was already scanned by another account."],
  invalid_state: [409, "This login request can no longer do that; start a new one."],
  username_taken: [409, "That username is taken — choose another."],
  conflict: [409, "The login request changed at the same time; try again."],
  continue_required: [
    409,
    "This account has not signed in from this browser before. Ask the person at the computer whether to continue as it; claim again with continueAs set to its username, or refuse it.",
  ],
  method_not_allowed: [405, "This method is not supported here; see the Allow header."],
  expired: [410, "This login code expired. Refresh the login page for a new one."],
  qr_replaced: [410, "This code was replaced — scan the one on the screen now."],
  request_timeout: [408, "The request took too long to arrive."],
  length_required: [411, "Send the body with a Content-Length header."],
  payload_too_large: [413, "The request body is too large."],
  unsupported_media_type: [415, "Send the body as application/json."],
  headers_too_large: [431, "The request headers are too large."],
  rate_limited: [429, "Too many attempts. Wait a moment and try again."],
  internal_error: [500, "Something went wrong on our side. Try again."],
  store_unavailable: [503, "The login service is temporarily unavailable. Try again in a moment."],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

// Every domain refusal (lib/errors.ts) is a row of this table.
type _EveryRefusalIsAnError = RefusalCode extends ErrorCode ? true : never;
const _everyRefusalIsAnError: _EveryRefusalIsAnError = true;
void _everyRefusalIsAnError;

/** The table by status, for the API document: each status with its codes and their messages. */
export function errorsByStatus(): Map<number, [code: string, message: string][]> {
  const by = new Map<number, [string, string][]>();
  for (const [code, [status, message]] of Object.entries(ERRORS)) {
    by.set(status, [...(by.get(status) ?? []), [code, message]]);
  }
  return by;
}

/** invalid_state, said for the state the ticket is in. */
const INVALID_STATE: Record<string, string> = {
  pending: "Scan the code before answering it.",
  confirmed: "This sign-in was already approved.",
  consumed: "This code was already used to sign in. Refresh the login page for a new one.",
  denied: "This sign-in was declined. Refresh the login page for a new code.",
  cancelled: "This sign-in was cancelled on the computer. Refresh the login page for a new code.",
};

export function invalidStateError(state?: string): ApiError {
  const message = state ? INVALID_STATE[state] : undefined;
  return new ApiError("invalid_state", message, {}, state ? { state } : {});
}

/** A failure the client should see as-is: its code picks the status. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly headers: Record<string, string> = {},
    /** Extra fields for the error object, e.g. the ticket's `state` with invalid_state. */
    readonly details: Record<string, string> = {},
  ) {
    super(message ?? ERRORS[code][1]);
  }
  static is(error: unknown): error is ApiError {
    return error instanceof Error && error.name === "ApiError";
  }
  get status(): number {
    return ERRORS[this.code][0];
  }
}

/** The error shape's body: `{ error: { code, message, ...details } }`. */
export const errorBodyOf = (error: ApiError) => ({
  error: { code: error.code, message: error.message, ...error.details },
});

/**
 * A failure as the client is to see it: an ApiError as it is, a domain
 * Refusal (lib/errors.ts) in the error table's terms; null for anything else
 * (a store failure, a bug), which callers treat as the service's problem.
 */
export function refusalOf(error: unknown): ApiError | null {
  if (ApiError.is(error)) return error;
  if (!Refusal.is(error)) return null;
  const retry: Record<string, string> =
    error.code === "store_unavailable" ? { "Retry-After": "1" } : {};
  return new ApiError(error.code, error.said, retry, error.details);
}

export function errorResponse(error: ApiError): Response {
  return json(errorBodyOf(error), error.status, error.headers);
}

/**
 * A whole HTTP/1.1 error response in the same shape, for a socket the server
 * answers outside any request listener (Node's parser refused the request).
 */
export function rawErrorResponse(error: ApiError): string {
  const body = JSON.stringify(errorBodyOf(error));
  const headers = Object.entries({
    ...error.headers,
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "Content-Length": String(Buffer.byteLength(body)),
    Connection: "close",
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\n${headers.join("")}\r\n${body}`;
}
