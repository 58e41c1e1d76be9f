import type { TicketStatus } from "../../lib/api/shapes";
import { HttpClient, scanPathOf, signInNative } from "./http-client";

/**
 * Steady login traffic through a proxy, driven the way the login page and
 * the phone behave: the desktop creates a ticket and long-polls it, the
 * phone scans and confirms, the desktop claims its session. A 503 is
 * retried after its Retry-After (as the page and the phone do); any other
 * error ends that login as failed. Every login has a deadline; a request
 * with no answer within `hangMs` counts as a hang.
 *
 * Used by tests/topology/ (counts asserted) and the bench's topology scenario
 * (counts reported).
 */

export interface LoginResult {
  ok: boolean;
  /** Why it failed (the step and what came back). */
  reason?: string;
  startedAt: number;
  endedAt: number;
  /** From the phone's confirm answer to the desktop seeing "confirmed" (its long-poll woke). */
  wakeMs?: number;
  /** A session whose user is not the phone's user that approved: must never happen. */
  wrongUser?: boolean;
}

export interface TrafficReport {
  attempted: number;
  completed: number;
  failed: number;
  /** Failure reasons, counted. */
  reasons: Record<string, number>;
  /** Responses seen, by HTTP status. */
  statuses: Record<number, number>;
  /** 503 answers by step and error code (service_unavailable: nginx lost the instance; store_unavailable: Redis). */
  unavailable: Record<string, number>;
  /** 5xx answers other than 503, as "METHOD path → status". */
  unexpected: string[];
  /** Requests with no answer within hangMs. */
  hung: number;
  wrongUser: number;
  /** Milliseconds from the first to the last 503 seen (0: none). */
  window503Ms: number;
  /** The longest a 503 took to come back. */
  slowest503Ms: number;
  /** The longest a desktop waited between the phone's approval and seeing it. */
  longestWakeMs: number;
  /** The longest a whole login took, create to session. */
  longestLoginMs: number;
}

export interface TrafficOptions {
  baseUrl: string;
  perSecond: number;
  /** A login still unfinished after this fails as "deadline" (no desktop waits forever). */
  loginDeadlineMs?: number;
  hangMs?: number;
  /** Headers every client sends (e.g. a user agent). */
  headers?: Record<string, string>;
  /** Called for every request sent (the bench's progress line counts them). */
  onRequest?: () => void;
}

const PHONE_USERS = [
  ["alice", "wonderland", "demo-alice"],
  ["bob", "builder", "demo-bob"],
  ["carol", "carol-pass", "demo-carol"],
] as const;

class LoginFailed extends Error {}

/** One HTTP answer, its body already read (and parsed when it is JSON). */
type Answer = { status: number; headers: Headers; body: unknown };

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LoginTraffic {
  private readonly results: LoginResult[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly statuses: Record<number, number> = {};
  private readonly unexpected: string[] = [];
  private readonly unavailable: Record<string, number> = {};
  private hung = 0;
  private first503 = 0;
  private last503 = 0;
  private slowest503 = 0;
  private timer: NodeJS.Timeout | undefined;
  private phones: { client: HttpClient; userId: string }[] = [];
  private readonly deadlineMs: number;
  private readonly hangMs: number;

  constructor(private readonly o: TrafficOptions) {
    this.deadlineMs = o.loginDeadlineMs ?? 60_000;
    this.hangMs = o.hangMs ?? 10_000;
  }

  /** Signs the phones in (one native-app session per demo user), then starts a login every 1/perSecond s. */
  async start(): Promise<void> {
    this.phones = await Promise.all(
      PHONE_USERS.map(async ([user, password, userId]) => ({
        client: (await signInNative(this.o.baseUrl, user, password, this.o.headers)).client,
        userId,
      })),
    );
    let n = 0;
    this.timer = setInterval(() => {
      const login = this.login(this.phones[n++ % this.phones.length] ?? this.phones[0]);
      this.running.add(login);
      void login.finally(() => this.running.delete(login));
    }, 1000 / this.o.perSecond);
  }

  /** Logins finished (ok or not) so far, and how many of them succeeded. */
  progress(since = 0) {
    const after = this.results.filter((r) => r.startedAt >= since);
    return { finished: after.length, ok: after.filter((r) => r.ok).length };
  }

  /** Waits until `count` logins started at or after `since` have succeeded. */
  async waitForLogins(count: number, since = 0, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.progress(since).ok < count) {
      if (Date.now() > deadline) {
        throw new Error(`only ${this.progress(since).ok} of ${count} logins completed`);
      }
      await sleep(50);
    }
  }

  /** Stops starting logins, lets every started one finish, and reports. */
  async stop(): Promise<TrafficReport> {
    clearInterval(this.timer);
    await Promise.all(this.running);
    return this.report();
  }

  report(results = this.results): TrafficReport {
    const failed = results.filter((r) => !r.ok);
    const reasons: Record<string, number> = {};
    for (const r of failed) reasons[r.reason ?? "?"] = (reasons[r.reason ?? "?"] ?? 0) + 1;
    return {
      attempted: results.length,
      completed: results.length - failed.length,
      failed: failed.length,
      reasons,
      statuses: { ...this.statuses },
      unexpected: [...this.unexpected],
      unavailable: { ...this.unavailable },
      hung: this.hung,
      wrongUser: results.filter((r) => r.wrongUser).length,
      window503Ms: this.first503 ? this.last503 - this.first503 : 0,
      slowest503Ms: this.slowest503,
      longestWakeMs: Math.max(0, ...results.map((r) => r.wakeMs ?? 0)),
      longestLoginMs: Math.max(0, ...results.map((r) => r.endedAt - r.startedAt)),
    };
  }

  private async login(phone: { client: HttpClient; userId: string } | undefined): Promise<void> {
    const startedAt = Date.now();
    const deadline = startedAt + this.deadlineMs;
    const result: LoginResult = { ok: false, startedAt, endedAt: 0 };
    const desktop = new HttpClient(this.o.baseUrl, this.o.headers);
    // Ends the desktop's long-poll loop when the login fails elsewhere (the page closes).
    const closed = new AbortController();
    let confirmed: Promise<string | undefined> = Promise.resolve(undefined);
    try {
      if (!phone) throw new LoginFailed("no phone");
      const created = await this.call(desktop, "create", "/api/qr", { method: "POST" }, deadline);
      if (created.status !== 201) throw new LoginFailed(`create: HTTP ${created.status}`);
      const { ticketId, scanUrl } = created.body as { ticketId: string; scanUrl: string };
      let approvedAt = 0;
      confirmed = this.waitForConfirmed(desktop, ticketId, deadline, closed.signal);
      confirmed.catch(() => {});
      // The phone scans the QR the page showed (its token included), then confirms.
      const paths = { scan: scanPathOf(scanUrl), confirm: `/api/qr/${ticketId}/confirm` };
      for (const step of ["scan", "confirm"] as const) {
        const res = await this.call(phone.client, step, paths[step], { method: "POST" }, deadline);
        if (res.status !== 200) throw new LoginFailed(`${step}: HTTP ${res.status}`);
      }
      approvedAt = Date.now();
      const continueAs = await confirmed;
      result.wakeMs = Date.now() - approvedAt;
      await this.claim(desktop, ticketId, deadline, continueAs);
      const session = await this.call(desktop, "session", "/api/auth/session", {}, deadline);
      const { user } = (session.body ?? {}) as { user?: { id?: string } };
      if (user?.id !== phone.userId) {
        result.wrongUser = user?.id !== undefined;
        throw new LoginFailed(`session: ${user?.id ?? "none"}, approved by ${phone.userId}`);
      }
      result.ok = true;
    } catch (error) {
      result.reason = error instanceof LoginFailed ? error.message : `error: ${String(error)}`;
    } finally {
      result.endedAt = Date.now();
      closed.abort();
      await confirmed.catch(() => {});
      this.results.push(result);
    }
  }

  /** The page's long-poll loop: wait=25 from the last version seen, until "confirmed". */
  private async waitForConfirmed(
    desktop: HttpClient,
    ticketId: string,
    deadline: number,
    closed: AbortSignal,
  ) {
    let since = 1;
    for (;;) {
      const res = await this.call(
        desktop,
        "status",
        `/api/qr/${ticketId}?since=${since}&wait=25`,
        { signal: closed },
        deadline,
        this.hangMs + 25_000,
      );
      if (res.status !== 200) throw new LoginFailed(`status: HTTP ${res.status}`);
      const s = res.body as TicketStatus;
      // An account new to this browser: the person chooses "Continue" for it, as on the page.
      if (s.state === "confirmed") return s.continueRequired ? s.scanner?.username : undefined;
      if (s.state !== "pending" && s.state !== "scanned")
        throw new LoginFailed(`status: ${s.state}`);
      since = s.version;
    }
  }

  /** next-auth's `qr` provider with its CSRF token, as the page submits it. */
  private async claim(
    desktop: HttpClient,
    ticketId: string,
    deadline: number,
    continueAs?: string,
  ) {
    const csrf = await this.call(desktop, "csrf", "/api/auth/csrf", {}, deadline);
    const { csrfToken } = csrf.body as { csrfToken: string };
    const res = await this.call(
      desktop,
      "claim",
      "/api/auth/callback/qr",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          ticketId,
          csrfToken,
          json: "true",
          ...(continueAs ? { continueAs } : {}),
        }).toString(),
      },
      deadline,
    );
    if (res.status !== 200 || !desktop.hasSessionCookie()) {
      throw new LoginFailed(`claim: HTTP ${res.status}, no session`);
    }
  }

  /** One request, retried on 503 (after Retry-After, at most 1 s) and on a lost connection. */
  private async call(
    client: HttpClient,
    step: string,
    path: string,
    init: RequestInit,
    deadline: number,
    hangMs = this.hangMs,
  ): Promise<Answer> {
    const closed = init.signal;
    for (;;) {
      if (Date.now() > deadline) throw new LoginFailed(`${step}: deadline`);
      if (closed?.aborted) throw new LoginFailed(`${step}: page closed`);
      const sent = Date.now();
      this.o.onRequest?.();
      const timeout = AbortSignal.timeout(hangMs);
      let res: Answer;
      try {
        const response = await client.fetch(path, {
          ...init,
          signal: closed ? AbortSignal.any([closed, timeout]) : timeout,
        });
        // Read inside the try: an instance that dies after its headers cuts the body short,
        // which the page sees as a lost connection too.
        const text = await response.text();
        res = { status: response.status, headers: response.headers, body: parse(text) };
      } catch {
        if (closed?.aborted) throw new LoginFailed(`${step}: page closed`);
        if (timeout.aborted) {
          this.hung++;
          throw new LoginFailed(`${step}: no answer within ${hangMs} ms`);
        }
        await sleep(200);
        continue;
      }
      this.statuses[res.status] = (this.statuses[res.status] ?? 0) + 1;
      if (res.status === 503) {
        const now = Date.now();
        this.first503 ||= now;
        this.last503 = now;
        this.slowest503 = Math.max(this.slowest503, now - sent);
        const code = (res.body as { error?: { code?: string } } | null)?.error?.code ?? "?";
        const key = `${step} ${code}`;
        this.unavailable[key] = (this.unavailable[key] ?? 0) + 1;
        const retryAfter = Number(res.headers.get("retry-after") ?? "1");
        await sleep(Math.min(1000, Math.max(100, retryAfter * 1000)));
        continue;
      }
      if (res.status >= 500) {
        this.unexpected.push(`${init.method ?? "GET"} ${step} → ${res.status}`);
        throw new LoginFailed(`${step}: HTTP ${res.status}`);
      }
      return res;
    }
  }
}
