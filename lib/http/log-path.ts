/**
 * A request path as it may appear in logs. Only the segments of this app's
 * own routes are kept as they are; a ticket id (24 characters) and a session
 * id (22) are replaced by their names, and anything else — an unknown or
 * malformed segment, which may carry a ticket id with a character more or
 * less (`/api/qr/{id}x`) — by `:other`. The query and fragment are dropped.
 */
const KNOWN = new Set([
  "api",
  "qr",
  "scan",
  "confirm",
  "deny",
  "report",
  "approval",
  "passkey",
  "begin",
  "finish",
  "lookup",
  "sessions",
  "current",
  "mobile",
  "notices",
  "dismiss",
  "passkeys",
  "registration",
  "setting",
  "step-up",
  "health",
  "live",
  "metrics",
  "openapi.json",
  "auth",
  "csrf",
  "session",
  "providers",
  "signin",
  "signout",
  "callback",
  "credentials",
  "computer",
  "error",
  "verify-request",
  "login",
  "password",
  "m",
  "activity",
  "link",
  "security",
  "_next",
  "static",
  "chunks",
  "css",
  "media",
  "image",
  "favicon.ico",
  "icon.svg",
]);

export function logPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  return bare
    .split("/")
    .map((segment) => {
      if (segment === "" || KNOWN.has(segment)) return segment;
      if (/^[A-Za-z0-9_-]{24}$/.test(segment)) return ":ticketId";
      if (/^[A-Za-z0-9_-]{22}$/.test(segment)) return ":sessionId";
      return ":other";
    })
    .join("/");
}
