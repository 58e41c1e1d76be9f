import { expect } from "vitest";
import type { TrafficReport } from "../support/login-traffic";

/**
 * Steady login traffic in these suites: every login is about seven requests
 * (create, long-polls, scan, confirm, CSRF, claim, session), on 2 shared cores.
 * The bench's topology scenario drives 20 per second.
 */
export const LOGINS_PER_SECOND = 10;

/**
 * What a crash or a Redis failover may and may not do to logins in flight.
 * Failed logins are counted, not forbidden: a ticket written to a primary
 * just before it died may be gone (it reads as not found or expired and the
 * page renews), and a claim whose answer died with its instance is not
 * replayed. Everything else is forbidden.
 */
export function expectFailoverReport(report: TrafficReport) {
  // No 5xx but 503 (nginx turns an instance lost mid-request into a 503 too).
  expect(report.unexpected).toEqual([]);
  // No request went unanswered (a hang is a request with no answer within 10 s).
  expect(report.hung).toBe(0);
  // No browser got a session the phone did not approve for it.
  expect(report.wrongUser).toBe(0);
  // Every login ended one way or the other: no desktop left waiting.
  expect(Object.keys(report.reasons).filter((r) => r.endsWith("deadline"))).toEqual([]);
  const allowed =
    /^(create|status|scan|confirm): HTTP (404|410)$|^status: expired$|^claim: HTTP \d+, no session$/;
  expect(Object.keys(report.reasons).filter((r) => !allowed.test(r))).toEqual([]);
}
