/**
 * What domain code (tickets, sessions, accounts, passkeys, users) raises when
 * it refuses something: a code from the API's error table and, where the
 * table's words are not precise enough, its own message. Domain code knows
 * nothing of HTTP; the HTTP layer (lib/http/handler.ts toApiError) answers a
 * Refusal with the table's status for its code, in the error shape.
 */
export type RefusalCode =
  | "invalid_request"
  | "unauthorized"
  | "invalid_credentials"
  | "account_disabled"
  | "not_found"
  | "conflict"
  | "invalid_state"
  | "passkey_failed"
  | "passkey_required"
  | "reauth_required"
  /** The store failed part-way: `said` tells what was done, the client tries again. */
  | "store_unavailable";

export class Refusal extends Error {
  override name = "Refusal";
  constructor(
    readonly code: RefusalCode,
    /** Words for this refusal; none: the error table's message for the code. */
    readonly said?: string,
    /** Extra fields for the error object. */
    readonly details: Record<string, string> = {},
  ) {
    super(said ?? code);
  }
  static is(error: unknown): error is Refusal {
    return error instanceof Error && error.name === "Refusal";
  }
}
