"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { signOut } from "./auth-client";
import { Button } from "./ui/button";

/** Ends the session, then re-renders the current (server) page as signed out. */
export function SignOutButton() {
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
        Sign out
      </Button>
      {failed ? (
        <p role="alert" className="status-error">
          Couldn&apos;t sign out. Check your connection and try again.
        </p>
      ) : null}
    </>
  );
}
