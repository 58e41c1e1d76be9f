"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { signOut } from "./auth-client";
import { Button } from "./ui/button";

/**
 * Ends the session, then re-renders the current (server) page as signed out.
 * `label`/`failed`: the words in the page's language (English by default).
 */
export function SignOutButton({
  label = "Sign out",
  failed: failedText = "Couldn't sign out. Check your connection and try again.",
}: {
  label?: string;
  failed?: string;
} = {}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  async function onClick() {
    setBusy(true);
    setFailed(false);
    try {
      await signOut();
      router.refresh();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant="secondary" onClick={onClick} disabled={busy}>
        {label}
      </Button>
      {failed ? (
        <p role="alert" className="status-error">
          {failedText}
        </p>
      ) : null}
    </>
  );
}
