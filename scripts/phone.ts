/**
 * A phone from the command line, as a native app would be: signs in with the
 * mobile API (bearer token), scans a login QR's URL, shows who is asking, then
 * approves or declines.
 *
 *   npm run phone -- <scanUrl> [--user alice --password wonderland] [--deny] [--base-url URL]
 *
 * --base-url replaces the scan URL's origin (e.g. when the QR holds a LAN
 * address that this machine reaches as localhost). No dependencies: plain fetch.
 */

import type { MobileSession, ScannedTicket } from "../lib/api/shapes";
import type { TicketState } from "../lib/tickets/machine";

export interface PhoneOptions {
  scanUrl: string;
  user: string;
  password: string;
  deny: boolean;
  baseUrl?: string;
}

export class PhoneError extends Error {
  override name = "PhoneError";
  constructor(
    message: string,
    readonly status = 0,
    readonly code = "error",
  ) {
    super(message);
  }
}

/** The API origin, ticket id and QR token a scan URL names (`{origin}/m/scan/{ticketId}[?t={qrToken}]`). */
export function parseScanUrl(
  scanUrl: string,
  baseUrl?: string,
): { origin: string; ticketId: string; qrToken: string } {
  let url: URL;
  try {
    url = new URL(scanUrl);
  } catch {
    throw new PhoneError(`Not a URL: ${scanUrl}`);
  }
  const ticketId = /^\/m\/scan\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname)?.[1];
  if (!ticketId) throw new PhoneError(`Not a login QR URL (expected /m/scan/<id>): ${scanUrl}`);
  return {
    origin: baseUrl ? new URL(baseUrl).origin : url.origin,
    ticketId,
    qrToken: url.searchParams.get("t") ?? "",
  };
}

async function api<T>(url: string, init: { body?: unknown; token?: string } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      },
      body: JSON.stringify(init.body ?? {}),
    });
  } catch (error) {
    throw new PhoneError(`Cannot reach ${new URL(url).origin}: ${(error as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string } })
    | null;
  if (res.ok && body) return body;
  throw new PhoneError(
    body?.error?.message ?? `HTTP ${res.status} from ${url}`,
    res.status,
    body?.error?.code ?? "http_error",
  );
}

export async function signIn(origin: string, username: string, password: string) {
  return api<MobileSession>(`${origin}/api/mobile/sessions`, { body: { username, password } });
}

/** `qrToken`: the `t` of the QR's URL (the QR rotates while it waits). */
export const scan = (origin: string, ticketId: string, token: string, qrToken = "") =>
  api<ScannedTicket>(
    `${origin}/api/qr/${ticketId}/scan${qrToken ? `?t=${encodeURIComponent(qrToken)}` : ""}`,
    { token },
  );

export const answer = (origin: string, ticketId: string, token: string, a: "confirm" | "deny") =>
  api<{ state: TicketState }>(`${origin}/api/qr/${ticketId}/${a}`, { token });

/** The whole phone: sign in, scan, answer. Returns the final state ("confirmed" or "denied"). */
export async function runPhone(o: PhoneOptions, log: (line: string) => void = () => {}) {
  const { origin, ticketId, qrToken } = parseScanUrl(o.scanUrl, o.baseUrl);
  const session = await signIn(origin, o.user, o.password);
  log(`Signed in as ${session.user.displayName}`);
  const ticket = await scan(origin, ticketId, session.token, qrToken);
  const r = ticket.requester;
  log(`Login request from ${r.browser} on ${r.os}, IP ${r.ip}, at ${r.createdAt}`);
  log(`User code: ${ticket.userCode}`);
  const { state } = await answer(origin, ticketId, session.token, o.deny ? "deny" : "confirm");
  log(state === "confirmed" ? "Approved: the computer is signing in." : "Declined: no sign-in.");
  return { state, ticket, user: session.user };
}

export function parseArgs(argv: string[]): PhoneOptions {
  const o: PhoneOptions = { scanUrl: "", user: "alice", password: "wonderland", deny: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new PhoneError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--user") o.user = value();
    else if (arg === "--password") o.password = value();
    else if (arg === "--base-url") o.baseUrl = value();
    else if (arg === "--deny") o.deny = true;
    else if (arg.startsWith("--")) throw new PhoneError(`Unknown option ${arg}`);
    else if (!o.scanUrl) o.scanUrl = arg;
    else throw new PhoneError(`Unexpected argument ${arg}`);
  }
  if (!o.scanUrl) {
    throw new PhoneError(
      "Usage: npm run phone -- <scanUrl> [--user alice --password wonderland] [--deny] [--base-url URL]",
    );
  }
  return o;
}

async function main() {
  try {
    await runPhone(parseArgs(process.argv.slice(2)), (line) => console.log(line));
  } catch (error) {
    console.error(`phone: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (/(^|[\\/])phone\.ts$/.test(process.argv[1] ?? "")) void main();
