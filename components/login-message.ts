import { ApiRequestError, isOfflineError, type TicketState } from "./ticket-api";

/** How the QR looks: a skeleton before the first code, live, scanned, or faded (spinner or reload). */
export type QrMode = "skeleton" | "live" | "scanned" | "busy" | "reload";

export interface LoginMessage {
  /** The status line's message key (namespace `login`), and its values. */
  key: string;
  values?: Record<string, string | number>;
  tone: "info" | "ok" | "warn" | "error";
  qr: QrMode;
  canCancel: boolean;
  /** The button over the faded QR: "Get a new code", or "Try again" when none could be had. */
  reload?: "newCode" | "tryAgain";
  /** The code is still worth showing (typed instead of scanned, or compared with the phone's). */
  showCode: "type" | "check" | null;
  /** "Continue as …?": an account new to this browser approved; Continue or "This isn't me". */
  ask?: boolean;
}

interface Input {
  creating: boolean;
  createError: unknown;
  state: TicketState | undefined;
  scannerName: string | undefined;
  lost: boolean;
  canRenew: boolean;
  claimFailed: boolean;
  /** The claim could not reach the service; the page tries it again while the approval holds. */
  claimRetrying?: boolean;
  /** The code on screen replaced one that expired unanswered. */
  renewed: boolean;
  /** Which automatic renewal the code on screen is, of how many. */
  renewals?: { count: number; max: number };
  /** Confirmed by an account new to this browser, and the person has not answered yet. */
  asking?: boolean;
  /** The person said "This isn't me" to the account that approved. */
  refused?: boolean;
}

const base = { tone: "info", canCancel: false, showCode: null } as const;

/** The create failure in words: what happened and what to do (keys under `createError`). */
function createErrorMessage(error: unknown): Pick<LoginMessage, "key" | "values"> {
  if (!(error instanceof ApiRequestError)) return { key: "createError.other" };
  if (error.status === 0) {
    return { key: isOfflineError(error) ? "createError.network" : "createError.noAnswer" };
  }
  if (error.status === 429) {
    return error.retryAfterS
      ? { key: "createError.limited", values: { seconds: Math.ceil(error.retryAfterS) } }
      : { key: "createError.limitedShort" };
  }
  if (error.status === 503) return { key: "createError.unavailable" };
  if (error.status >= 500) return { key: "createError.server" };
  return { key: "createError.other" };
}

/** What the login page says and offers, from where the ticket is. */
export function loginMessage(i: Input): LoginMessage {
  if (i.creating) return { ...base, key: "status.creating", qr: "busy" };
  if (i.createError) {
    return {
      ...base,
      ...createErrorMessage(i.createError),
      tone: "error",
      qr: "reload",
      reload: "tryAgain",
    };
  }
  if (i.lost) return { ...base, key: "status.lost", tone: "warn", qr: "reload", reload: "newCode" };
  if (i.refused) {
    return { ...base, key: "status.refused", tone: "warn", qr: "reload", reload: "newCode" };
  }
  if (i.claimFailed) {
    return { ...base, key: "status.claimFailed", tone: "error", qr: "reload", reload: "newCode" };
  }
  if (i.claimRetrying) {
    return { ...base, key: "status.claimRetrying", tone: "warn", qr: "busy" };
  }
  switch (i.state) {
    case undefined:
    case "pending":
      return {
        ...base,
        key: i.renewed ? "status.renewed" : "status.pending",
        ...(i.renewed ? { values: i.renewals ?? { count: 1, max: 1 } } : {}),
        qr: "live",
        canCancel: true,
        showCode: "type",
      };
    case "scanned":
      return {
        ...base,
        ...(i.scannerName
          ? { key: "status.scanned", values: { name: i.scannerName } }
          : { key: "status.scannedAnonymous" }),
        qr: "scanned",
        canCancel: true,
        showCode: "check",
      };
    case "confirmed":
      if (i.asking) {
        return {
          ...base,
          key: "status.continueAs",
          values: { name: i.scannerName ?? "" },
          qr: "scanned",
          ask: true,
        };
      }
      return { ...base, key: "status.signingIn", tone: "ok", qr: "busy" };
    case "consumed":
      return { ...base, key: "status.signingIn", tone: "ok", qr: "busy" };
    case "denied":
      return { ...base, key: "status.denied", tone: "warn", qr: "reload", reload: "newCode" };
    case "cancelled":
      return { ...base, key: "status.cancelled", tone: "warn", qr: "reload", reload: "newCode" };
    case "expired":
      return i.canRenew
        ? { ...base, key: "status.expiredRenewing", qr: "busy" }
        : { ...base, key: "status.expired", tone: "warn", qr: "reload", reload: "newCode" };
  }
}

/**
 * A failed poll in words (keys under `pollError`): the code on screen still
 * works, the page keeps checking. No answer at all while the browser is
 * online: the service is not answering (not "check your connection").
 */
export function pollErrorKey(error: unknown): string {
  const status = error instanceof ApiRequestError ? error.status : -1;
  if (status === 0) return isOfflineError(error) ? "pollError.network" : "pollError.noAnswer";
  if (status === 429 || status >= 500) return "pollError.busy";
  return "pollError.other";
}
