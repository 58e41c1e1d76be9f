import type { WebSessionInfo } from "../api/shapes";
import type { WebSession } from "./web-sessions";

/** A web session as the API and the phone show it. */
export function webSessionView(session: WebSession): WebSessionInfo {
  return {
    id: session.id,
    browser: session.browser,
    os: session.os,
    ip: session.ip,
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
  };
}
