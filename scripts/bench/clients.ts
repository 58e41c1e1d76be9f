import type { CreatedTicket, TicketStatus } from "../../lib/api/shapes";
import { isFinal } from "../../lib/tickets/machine";
import { TEST_USERS } from "../../tests/support/app-server";
import { HttpClient } from "../../tests/support/http-client";
import { answer, parseScanUrl, scan, signIn } from "../phone";
import { progress } from "./progress";

/**
 * The two sides of a login as the bench drives them: a desktop browser (its
 * own cookie jar: binding cookie, CSRF, session) and a phone (the command-line
 * phone's functions, with a bearer token).
 */

export const DESKTOP_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

type Status = Pick<TicketStatus, "state" | "version" | "scanUrl" | "continueRequired" | "scanner">;

export class BenchError extends Error {
  override name = "BenchError";
}

/** A browser's cookie jar that counts each request it sends (next-auth's CSRF dance included). */
class CountingHttpClient extends HttpClient {
  override fetch(path: string, init?: Parameters<HttpClient["fetch"]>[1]): Promise<Response> {
    progress.requests++;
    return super.fetch(path, init);
  }
}

export class Desktop {
  readonly http: HttpClient;
  constructor(readonly baseUrl: string) {
    this.http = new CountingHttpClient(baseUrl, { "user-agent": DESKTOP_UA });
  }

  async create(): Promise<CreatedTicket> {
    const res = await this.http.fetch("/api/qr", { method: "POST" });
    if (res.status !== 201) throw new BenchError(`create: HTTP ${res.status}`);
    return (await res.json()) as CreatedTicket;
  }

  /** Plain status, or a long-poll when `since` and `wait` are given. */
  async status(ticketId: string, since?: number, wait?: number): Promise<Status> {
    const query = since === undefined ? "" : `?since=${since}&wait=${wait ?? 0}`;
    const res = await this.http.fetch(`/api/qr/${ticketId}${query}`);
    if (res.status !== 200) throw new BenchError(`status: HTTP ${res.status}`);
    const s = (await res.json()) as Status;
    // An account new to this browser: the person will choose "Continue" for it, as on the page.
    if (s.state === "confirmed" && s.continueRequired)
      this.continueAs.set(ticketId, s.scanner?.username ?? "");
    return s;
  }

  /** The account to continue as, per confirmed ticket that asked (its status said so). */
  private readonly continueAs = new Map<string, string>();

  /**
   * Long-polls (wait=25 s, re-issued on timeout) until the ticket reaches
   * `target`; resolves with the moment the answer arrived. Bounded in count and time.
   */
  async waitFor(
    ticketId: string,
    target: string,
    o: { since?: number; deadlineMs?: number; onReissue?: () => void } = {},
  ): Promise<number> {
    let since = o.since ?? 1;
    const deadline = performance.now() + (o.deadlineMs ?? 150_000);
    for (let i = 0; i < 20 && performance.now() < deadline; i++) {
      const s = await this.status(ticketId, since, 25);
      if (s.state === target) return performance.now();
      if (isFinal(s.state)) throw new BenchError(`waited for ${target}, got ${s.state}`);
      if (s.version === since) o.onReissue?.();
      since = s.version;
    }
    throw new BenchError(`no ${target} state within the bench's bounds`);
  }

  /** 1-second polling (the seed design): plain GETs until `target`; the moment it was seen. */
  async pollFor(ticketId: string, target: string, intervalMs = 1000, maxPolls = 120) {
    for (let i = 0; i < maxPolls; i++) {
      const started = performance.now();
      const s = await this.status(ticketId);
      if (s.state === target) return performance.now();
      if (isFinal(s.state)) throw new BenchError(`polled for ${target}, got ${s.state}`);
      await sleep(Math.max(0, intervalMs - (performance.now() - started)));
    }
    throw new BenchError(`no ${target} state within ${maxPolls} polls`);
  }

  /** next-auth's `qr` provider with the CSRF dance; true when a session cookie came back. */
  async claim(ticketId: string): Promise<void> {
    const continueAs = this.continueAs.get(ticketId);
    this.continueAs.delete(ticketId);
    const res = await this.http.nextAuthCallback(
      "qr",
      continueAs ? { ticketId, continueAs } : { ticketId },
    );
    if (res.status !== 200 || !this.http.hasSessionCookie()) {
      throw new BenchError(`claim: HTTP ${res.status}, no session cookie`);
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signed-in phones (bearer tokens), round-robin over the test users. */
export async function phones(origin: string, count: number): Promise<Phone[]> {
  const users = TEST_USERS.split(",").map((entry) => entry.split(":"));
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const [user = "", password = ""] = users[i % users.length] ?? [];
      progress.requests++;
      const { token } = await signIn(origin, user, password);
      return new Phone(origin, token);
    }),
  );
}

export class Phone {
  constructor(
    readonly origin: string,
    readonly token: string,
  ) {}

  /** Scans the QR's URL (its origin replaced by this phone's instance). */
  scan(scanUrl: string) {
    const { ticketId, qrToken } = parseScanUrl(scanUrl, this.origin);
    progress.requests++;
    return scan(this.origin, ticketId, this.token, qrToken);
  }

  confirm(ticketId: string) {
    progress.requests++;
    return answer(this.origin, ticketId, this.token, "confirm");
  }
}

/**
 * Runs `task` on `concurrency` workers until `count` tasks started or
 * `durationMs` passed, whichever first; errors are collected, not thrown.
 */
export async function runPool(
  o: { concurrency: number; count?: number; durationMs?: number },
  task: (i: number) => Promise<void>,
): Promise<{ done: number; errors: string[]; seconds: number }> {
  const started = performance.now();
  const until = started + (o.durationMs ?? 600_000);
  const count = o.count ?? Number.POSITIVE_INFINITY;
  let next = 0;
  let done = 0;
  const errors: string[] = [];
  const worker = async () => {
    while (next < count && performance.now() < until) {
      const i = next++;
      try {
        await task(i);
        done++;
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { done, errors, seconds: (performance.now() - started) / 1000 };
}
