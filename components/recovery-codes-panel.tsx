"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState } from "react";
import type { RenewResult } from "@/app/(phone)/m/security/actions";
import type { RecoveryCodesLeft } from "@/lib/api/shapes";
import { call } from "./api-client";
import { RecoveryCodeList } from "./recovery-code-list";
import { Button } from "./ui/button";

type RenewAction = (previous: RenewResult, form: FormData) => Promise<RenewResult>;

/**
 * Recovery codes on /m/security: how many are left, and new ones (the old
 * void) for the password. A plain form to a server action: works without
 * JavaScript; the new codes are shown in its answer, this once.
 */
export function RecoveryCodesPanel({
  initial,
  action,
}: {
  initial: RecoveryCodesLeft;
  action: RenewAction;
}) {
  const t = useTranslations("recovery");
  const client = useQueryClient();
  const [result, formAction, busy] = useActionState(action, null);
  const [hidden, setHidden] = useState<string[] | null>(null);
  const left = useQuery({
    queryKey: ["recovery-codes"],
    queryFn: () => call<RecoveryCodesLeft>("/api/passkeys/recovery-codes"),
    initialData: initial,
  });
  const codes = result && "codes" in result ? result.codes : null;
  useEffect(() => {
    if (codes) void client.invalidateQueries({ queryKey: ["recovery-codes"] });
  }, [codes, client]);
  const problem = result && "problem" in result && !busy ? result.problem : null;
  const remaining = left.data.remaining;
  return (
    <section aria-labelledby="recovery-title">
      <h2 id="recovery-title">{t("title")}</h2>
      <p>{remaining > 0 ? t("left", { count: remaining }) : t("noneLeft")}</p>
      {codes && hidden !== codes ? (
        <RecoveryCodeList codes={codes} onSaved={() => setHidden(codes)} />
      ) : null}
      <form className="form" action={formAction}>
        <p className="muted">{t("renewHelp")}</p>
        <label htmlFor="renew-password">{t("password")}</label>
        <input
          id="renew-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? "renew-problem" : undefined}
        />
        {problem ? (
          <p role="alert" id="renew-problem" className="status-error">
            {t(`renew.${problem}`)}
          </p>
        ) : null}
        <Button type="submit" variant="secondary" disabled={busy}>
          {remaining > 0 ? t("renew.submit") : t("renew.first")}
        </Button>
      </form>
    </section>
  );
}
