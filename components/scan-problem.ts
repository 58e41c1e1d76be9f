import { ApiRequestError, isOfflineError } from "./api-client";
import { ScanProblemError } from "./passkey-approve";

/** The phone's messages (namespace `phone.problem`). */
type T = (key: string) => string;

export interface ScanProblem {
  title: string;
  text: string;
  /** Trying again could help (network, overload); otherwise the code itself is the problem. */
  retry: boolean;
  /** A way out the words point to (e.g. lost passkey: the recovery page). */
  link?: { href: string; label: string };
}

/** What the phone says when scanning or answering failed: each case its own words. */
export function scanProblem(error: unknown, t: T): ScanProblem {
  if (error instanceof ScanProblemError) return error.problem;
  const code = error instanceof ApiRequestError ? error.code : "";
  const ended = (title: string, text: string) => ({
    title: t(title),
    text: `${t(text)} ${t("newCode")}`,
    retry: false,
  });
  switch (code) {
    case "expired":
      return { title: t("expiredTitle"), text: t("newCode"), retry: false };
    case "already_scanned":
    case "not_scanner":
      return ended("takenTitle", "takenText");
    case "invalid_state":
      return invalidState(error instanceof ApiRequestError ? error.state : undefined, t);
    case "not_found":
    case "invalid_request":
      return ended("notFoundTitle", "notFoundText");
    case "unauthorized":
      return { title: t("signedOutTitle"), text: t("signedOutText"), retry: false };
    default:
      return { title: t("unreachableTitle"), text: unreachable(error, t), retry: true };
  }
}

/** A failure to reach the service, blaming the network or the server as the case is. */
function unreachable(error: unknown, t: T): string {
  const status = error instanceof ApiRequestError ? error.status : -1;
  if (status === 0) return isOfflineError(error) ? t("offline") : t("noAnswer");
  if (status === 429) return t("tooMany");
  if (status === 503) return t("unavailable");
  return t("server");
}

/** A code that can no longer be answered, said for what happened to it. */
function invalidState(state: string | undefined, t: T): ScanProblem {
  const ended = (title: string, text: string) => ({
    title: t(title),
    text: `${t(text)} ${t("newCode")}`,
    retry: false,
  });
  switch (state) {
    case "cancelled":
      return ended("cancelledTitle", "cancelledText");
    case "denied":
      return ended("deniedTitle", "deniedText");
    case "confirmed":
      return { title: t("confirmedTitle"), text: t("confirmedText"), retry: false };
    default:
      return ended("usedTitle", "usedText");
  }
}
