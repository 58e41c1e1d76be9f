"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { lookupUserCode } from "./api-client";
import { lookupProblem } from "./scan-problem";
import { Button } from "./ui/button";

/**
 * The code shown under the QR, typed instead of scanned. The server forgives
 * case, the dash and look-alikes; a found code continues exactly as a scan.
 */
export function UserCodeForm() {
  const router = useRouter();
  const lookup = useMutation({
    mutationFn: lookupUserCode,
    onSuccess: ({ ticketId, qrToken }) =>
      router.push(`/m/scan/${ticketId}${qrToken ? `?t=${qrToken}` : ""}`),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("userCode") ?? "");
    lookup.mutate(code);
  }

  const busy = lookup.isPending || lookup.isSuccess;
  return (
    <form className="form" onSubmit={onSubmit}>
      <label htmlFor="user-code">Code shown on the computer</label>
      <input
        id="user-code"
        name="userCode"
        className="user-code"
        placeholder="BDWP-QHLT"
        autoComplete="off"
        autoCapitalize="characters"
        autoCorrect="off"
        spellCheck={false}
        maxLength={32}
        required
      />
      {lookup.isError ? (
        <p role="alert" className="status-error">
          {lookupProblem(lookup.error)}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? "Opening the request…" : "Continue"}
      </Button>
    </form>
  );
}
