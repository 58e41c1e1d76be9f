"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import { Button } from "./ui/button";

export type LookupProblem = "invalid" | "notFound" | "signedOut" | "tooMany" | "unavailable";
/** A refused code: why, and what was typed (the form shows it again, to correct rather than retype). */
export interface LookupRefusal {
  problem: LookupProblem;
  userCode: string;
}

type LookupAction = (
  previous: LookupRefusal | null,
  form: FormData,
) => Promise<LookupRefusal | null>;

/**
 * The code shown under the QR, typed instead of scanned. A plain form posting
 * to a server action (works before and without JavaScript); the server
 * forgives case, the dash and look-alikes, and a found code continues exactly
 * as a scan. A refused code stays in the field (React resets a form after its
 * action: the field's default is what was typed), marked invalid and
 * described by the reason, with focus in it.
 */
export function UserCodeForm({ action }: { action: LookupAction }) {
  const t = useTranslations("phone.link");
  const [refusal, formAction, busy] = useActionState(action, null);
  const problem = refusal && !busy ? refusal.problem : null;
  // After a refusal, back in the field to correct it (focus was on the submit button).
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (refusal) field.current?.focus();
  }, [refusal]);
  return (
    <form className="form" action={formAction}>
      <label htmlFor="user-code">{t("label")}</label>
      <input
        // A new refusal remounts the field with what was typed in it.
        key={refusal ? `${refusal.problem}:${refusal.userCode}` : "empty"}
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
        defaultValue={refusal?.userCode ?? ""}
        ref={field}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? "user-code-problem" : undefined}
      />
      {problem ? (
        <p role="alert" id="user-code-problem" className="status-error">
          {t(problem)}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
