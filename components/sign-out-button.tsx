"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
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
      await signOut({ redirect: false });
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
