"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { signOut } from "./auth-client";
import { Button } from "./ui/button";
import { useWords } from "./words";

/**
 * Ends the session, then re-renders the current (server) page as signed out.
 * `label`/`failed`: other words than the common ones (the phone app's own).
 */
export function SignOutButton({
  label,
  failed: failedText,
}: {
  label?: string;
  failed?: string;
} = {}) {
  const t = useWords("common");
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
        {label ?? t("signOut")}
      </Button>
      {failed ? (
        <p role="alert" className="status-error">
          {failedText ?? t("signOutFailed")}
        </p>
      ) : null}
    </>
  );
}
