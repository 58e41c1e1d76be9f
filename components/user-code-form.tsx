"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { LookupProblem } from "@/app/(phone)/m/link/actions";
import { Button } from "./ui/button";

type LookupAction = (
  previous: LookupProblem | null,
  form: FormData,
) => Promise<LookupProblem | null>;

/**
 * The code shown under the QR, typed instead of scanned. A plain form posting
 * to a server action (works before and without JavaScript); the server
 * forgives case, the dash and look-alikes, and a found code continues exactly
 * as a scan.
 */
export function UserCodeForm({ action }: { action: LookupAction }) {
  const t = useTranslations("phone.link");
  const [problem, formAction, busy] = useActionState(action, null);
  return (
    <form className="form" action={formAction}>
      <label htmlFor="user-code">{t("label")}</label>
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
      {problem && !busy ? (
        <p role="alert" className="status-error">
          {t(problem)}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
