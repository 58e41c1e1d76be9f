"use client";

import { useEffect, useRef, useState } from "react";
import { credentialsSignIn, hasSession } from "./auth-client";

/**
 * Once the phone has confirmed (and, for an account new to this browser, the
 * person chose "Continue as …": `confirmed` is only true then), claims the ticket for a web session (next-auth
 * provider `qr`, exactly once per ticket) and then loads `callbackUrl`.
 * next-auth answers a refused CSRF token with "ok" too (another tab or request
 * may have replaced the CSRF cookie between the token fetch and the claim), so
 * the page checks that it really has a session; if not, it claims once more
 * with a fresh token (the ticket is still confirmed), and only then says it failed.
 */
export function useQrClaim(
  ticketId: string | undefined,
  confirmed: boolean,
  callbackUrl: string,
  /** The username the person chose "Continue" for, when the page had to ask. */
  continueAs?: string,
) {
  const [failed, setFailed] = useState(false);
  const claimedFor = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!confirmed || !ticketId || claimedFor.current === ticketId) return;
    claimedFor.current = ticketId;
    setFailed(false);
    // A session is the proof, whatever the claim's own answer said.
    const claim = async () => {
      await credentialsSignIn("qr", continueAs ? { ticketId, continueAs } : { ticketId });
      return hasSession();
    };
    (async () => {
      if ((await claim()) || (await claim())) window.location.replace(callbackUrl);
      else setFailed(true);
    })().catch(() => setFailed(true));
  }, [confirmed, ticketId, callbackUrl, continueAs]);

  return { failed };
}
