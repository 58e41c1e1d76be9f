"use client";

import { useEffect, useRef, useState } from "react";

/**
 * The sign-in calls, loaded when first needed rather than with /login (its
 * JavaScript budget, issue 25.7): preloaded once the code is scanned, so the
 * claim does not wait for them.
 */
const authClient = () => import("./auth-client");
export const preloadClaim = () => {
  authClient().catch(() => {});
};

/** Waits between claims the service could not answer: 1, 2, 4 s, then every 5 s (or its Retry-After). */
const backoffMs = (attempt: number, retryAfterS: number) =>
  Math.max(retryAfterS * 1000, Math.min(5_000, 1_000 * 2 ** attempt));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Once the phone has confirmed (and, for an account new to this browser, the
 * person chose "Continue as …": `confirmed` is only true then), claims the ticket for a web session (next-auth
 * provider `qr`, exactly once per ticket) and then loads `callbackUrl`.
 * next-auth answers a refused CSRF token with "ok" too (another tab or request
 * may have replaced the CSRF cookie between the token fetch and the claim), so
 * the page checks that it really has a session; if not, it claims once more
 * with a fresh token (the ticket is still confirmed), and only then says it failed.
 * A claim the service could not answer (503: its store is down or stalled; or
 * no answer at all) is tried again with backoff until `until`, the confirmed
 * ticket's deadline, while `retrying` says so; a claim that did go through
 * before its answer was lost is answered with the same session (PROTOCOL).
 */
export function useQrClaim(
  ticketId: string | undefined,
  confirmed: boolean,
  callbackUrl: string,
  /** The username the person chose "Continue" for, when the page had to ask. */
  continueAs?: string,
  /** When the confirmed ticket can no longer be claimed (ISO time, the status answer's `expiresAt`). */
  until?: string,
) {
  const [failed, setFailed] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const claimedFor = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!confirmed || !ticketId || claimedFor.current === ticketId) return;
    claimedFor.current = ticketId;
    setFailed(false);
    const fields: Record<string, string> = continueAs ? { ticketId, continueAs } : { ticketId };
    // A session is the proof, whatever the claim's own answer said; null: the service did not answer.
    const claim = async (): Promise<{ done: boolean } | { retryAfterS: number }> => {
      try {
        const { credentialsSignIn, hasSession } = await authClient();
        const result = await credentialsSignIn("qr", fields);
        if (result.unavailable) return result.unavailable;
        return { done: await hasSession() };
      } catch {
        return { retryAfterS: 0 };
      }
    };
    // Without a known deadline, the confirmed window's default (30 s).
    const deadline = (until && Date.parse(until)) || Date.now() + 30_000;
    (async () => {
      let refusals = 0;
      for (let attempt = 0; ; attempt++) {
        const outcome = await claim();
        if ("done" in outcome && outcome.done) {
          window.location.replace(callbackUrl);
          return;
        }
        // Refused twice (not a connection problem): the claim failed for good.
        if ("done" in outcome && ++refusals >= 2) break;
        if ("retryAfterS" in outcome) {
          const wait = backoffMs(attempt, outcome.retryAfterS);
          if (Date.now() + wait >= deadline) break;
          setRetrying(true);
          await pause(wait);
        }
      }
      setRetrying(false);
      setFailed(true);
    })().catch(() => setFailed(true));
  }, [confirmed, ticketId, callbackUrl, continueAs, until]);

  return { failed, retrying };
}
