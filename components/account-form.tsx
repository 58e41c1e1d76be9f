"use client";

import { type ReactNode, useActionState, useEffect, useRef } from "react";
import type { AccountFormState } from "@/lib/auth/account-forms";
import { Button } from "./ui/button";

type Action = (previous: AccountFormState | null, form: FormData) => Promise<AccountFormState>;

/**
 * One form of /m/account: a plain form posting to its server action (works
 * before and without JavaScript); what happened is said under the fields, a
 * problem as an alert with focus back in the field it is about. The fields
 * are the server's (`children`).
 */
export function AccountForm({
  action,
  label,
  busyLabel,
  variant = "primary",
  children,
}: {
  action: Action;
  label: string;
  busyLabel: string;
  variant?: "primary" | "danger";
  children: ReactNode;
}) {
  const [state, formAction, busy] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.field) form.current?.querySelector<HTMLInputElement>(`#${state.field}`)?.focus();
  }, [state]);
  return (
    <form className="form" action={formAction} ref={form}>
      {children}
      {state && !busy ? (
        <p role={state.ok ? "status" : "alert"} className={state.ok ? "status-ok" : "status-error"}>
          {state.message}
        </p>
      ) : null}
      <Button type="submit" variant={variant} disabled={busy}>
        {busy ? busyLabel : label}
      </Button>
    </form>
  );
}
