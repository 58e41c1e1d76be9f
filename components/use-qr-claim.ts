"use client";

import { useEffect, useRef, useState } from "react";
import { credentialsSignIn } from "./auth-client";

/**
 * Once the phone has confirmed, claims the ticket for a web session (next-auth
 * provider `qr`, exactly once per ticket) and then loads `callbackUrl`.
 */
export function useQrClaim(ticketId: string | undefined, confirmed: boolean, callbackUrl: string) {
  const [failed, setFailed] = useState(false);
  const claimedFor = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!confirmed || !ticketId || claimedFor.current === ticketId) return;
    claimedFor.current = ticketId;
    setFailed(false);
    credentialsSignIn("qr", { ticketId })
      .then((result) => {
        if (result.ok) window.location.replace(callbackUrl);
        else setFailed(true);
      })
      .catch(() => setFailed(true));
  }, [confirmed, ticketId, callbackUrl]);

  return { failed };
}
