import { ApiRequestError, describeError } from "./api-client";
import { ScanProblemError } from "./passkey-approve";

export interface ScanProblem {
  title: string;
  text: string;
  /** Trying again could help (network, overload); otherwise the code itself is the problem. */
  retry: boolean;
}

const NEW_CODE = "Refresh the login page on the computer to get a new code, then scan it again.";

/** What the phone says when scanning or answering failed: each case its own words. */
export function scanProblem(error: unknown): ScanProblem {
  if (error instanceof ScanProblemError) return error.problem;
  const code = error instanceof ApiRequestError ? error.code : "";
  switch (code) {
    case "expired":
      return { title: "This code has expired", text: NEW_CODE, retry: false };
    case "already_scanned":
    case "not_scanner":
      return {
        title: "Someone else already scanned this code",
        text: `Another account scanned it first, so it can't be used from this phone. ${NEW_CODE}`,
        retry: false,
      };
    case "invalid_state":
      return invalidState(error instanceof ApiRequestError ? error.state : undefined);
    case "not_found":
    case "invalid_request":
      return {
        title: "Login code not found",
        text: `This link is not a current login code of this site. ${NEW_CODE}`,
        retry: false,
      };
    case "unauthorized":
      return {
        title: "You're signed out on this phone",
        text: "Sign in on this phone again, then scan the code once more.",
        retry: false,
      };
    default:
      return { title: "Couldn't reach the login service", text: describeError(error), retry: true };
  }
}

/** A code that can no longer be answered, said for what happened to it. */
function invalidState(state: string | undefined): ScanProblem {
  switch (state) {
    case "cancelled":
      return {
        title: "This sign-in was cancelled",
        text: `It was cancelled on the computer. ${NEW_CODE}`,
        retry: false,
      };
    case "denied":
      return {
        title: "This sign-in was declined",
        text: `It can't be approved any more. ${NEW_CODE}`,
        retry: false,
      };
    case "confirmed":
      return {
        title: "Already approved",
        text: "This sign-in was already approved; the computer is signing in.",
        retry: false,
      };
    default:
      return {
        title: "This code was already used",
        text: `A login code works only once. ${NEW_CODE}`,
        retry: false,
      };
  }
}

/** What the type-a-code form says when a lookup failed. */
export function lookupProblem(error: unknown): string {
  const code = error instanceof ApiRequestError ? error.code : "";
  switch (code) {
    case "not_found":
      // The server's words: they say how long a code works, as configured.
      return (error as ApiRequestError).message;
    case "invalid_request":
      return "That isn't a login code. A code is 8 letters like BDWP-QHLT, without vowels or the digit 0.";
    case "unauthorized":
      return "You're signed out on this phone. Reload the page and sign in again.";
    default:
      return describeError(error);
  }
}
