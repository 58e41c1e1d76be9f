import { ApiRequestError, describeError, type TicketState } from "./api-client";

export interface LoginMessage {
  text: string;
  tone: "info" | "ok" | "warn" | "error";
  /** Show the QR at all (a dead code is never shown), and dimmed once someone scanned it. */
  qr: "hidden" | "live" | "dimmed";
  canCancel: boolean;
  offerNewCode: boolean;
  /** The new-code button's words: "Try again" after a failure to get one at all. */
  newCodeLabel: string;
}

interface Input {
  creating: boolean;
  createError: unknown;
  state: TicketState | undefined;
  scannerName: string | undefined;
  lost: boolean;
  canRenew: boolean;
  claimFailed: boolean;
}

const base = {
  tone: "info",
  qr: "hidden",
  canCancel: false,
  offerNewCode: false,
  newCodeLabel: "Get a new code",
} as const;

/** What the login page says and offers, from where the ticket is. */
export function loginMessage(i: Input): LoginMessage {
  if (i.creating) return { ...base, text: "Getting a login code…" };
  if (i.createError) {
    return {
      ...base,
      tone: "error",
      text: describeError(i.createError),
      offerNewCode: true,
      newCodeLabel: "Try again",
    };
  }
  if (i.lost) {
    return {
      ...base,
      tone: "warn",
      text: "This code is no longer valid — get a new one",
      offerNewCode: true,
    };
  }
  if (i.claimFailed) {
    return {
      ...base,
      tone: "error",
      text: "Couldn't finish signing you in — get a new code and scan it again",
      offerNewCode: true,
    };
  }
  switch (i.state) {
    case undefined:
    case "pending":
      return { ...base, text: "Scan with your phone's camera", qr: "live", canCancel: true };
    case "scanned":
      return {
        ...base,
        text: `Scanned by ${i.scannerName ?? "your phone"} — confirm on your phone`,
        qr: "dimmed",
        canCancel: true,
      };
    case "confirmed":
    case "consumed":
      return { ...base, tone: "ok", text: "Signing you in…" };
    case "denied":
      return { ...base, tone: "warn", text: "Login declined on the phone", offerNewCode: true };
    case "cancelled":
      return { ...base, tone: "warn", text: "Cancelled — get a new code", offerNewCode: true };
    case "expired":
      return i.canRenew
        ? { ...base, text: "Code expired — getting a new one…" }
        : { ...base, tone: "warn", text: "Code expired — get a new one", offerNewCode: true };
  }
}

/** A failed poll: the code on screen still works, and the page keeps checking by itself. */
export function pollErrorText(error: unknown): string {
  const status = error instanceof ApiRequestError ? error.status : -1;
  if (status === 0)
    return "Lost contact with the server. Check your internet connection; this page keeps trying.";
  if (status === 429 || status >= 500) {
    return "The login service is busy or unavailable right now; this page keeps trying.";
  }
  return `${describeError(error)} This page keeps trying.`;
}
