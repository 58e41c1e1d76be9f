"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { RecoverResult } from "@/app/(phone)/m/recover/actions";
import { Button } from "./ui/button";

type RecoverAction = (previous: RecoverResult, form: FormData) => Promise<RecoverResult>;

/**
 * Username, password and one recovery code: a plain form to a server action
 * (works without JavaScript). A refusal keeps the username and says what to
 * do; a recovery says what changed and what to do next.
 */
export function RecoverForm({ action }: { action: RecoverAction }) {
  const t = useTranslations("recovery");
  const [result, formAction, busy] = useActionState(action, null);
  if (result && "done" in result) {
    const { done } = result;
    return (
      <div role="status" className="status status-ok">
        <h2>{t("doneTitle")}</h2>
        <p>{t("donePasskeys", { count: done.passkeysRemoved })}</p>
        <p>{t("doneSignedOut", { count: done.signedOut })}</p>
        <p>{t("doneCodesLeft", { count: done.codesLeft })}</p>
        <p>{done.stayed ? t("doneNextHere") : t("doneNext")}</p>
        <p>
          <Link href={done.stayed ? "/m/security" : "/m"}>
            {done.stayed ? t("toSecurity") : t("toSignIn")}
          </Link>
        </p>
      </div>
    );
  }
  const problem = result && !busy ? result.problem : null;
  return (
    <form className="form" action={formAction}>
      <label htmlFor="recover-username">{t("username")}</label>
      <input
        key={`u:${result?.username ?? ""}`}
        id="recover-username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        required
        maxLength={200}
        defaultValue={result?.username ?? ""}
      />
      <label htmlFor="recover-password">{t("password")}</label>
      <input
        id="recover-password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={200}
      />
      <label htmlFor="recover-code">{t("code")}</label>
      <input
        id="recover-code"
        name="code"
        className="user-code"
        placeholder="ABCDE-23456"
        autoComplete="off"
        autoCapitalize="characters"
        autoCorrect="off"
        spellCheck={false}
        required
        maxLength={40}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? "recover-problem" : undefined}
      />
      {problem ? (
        <p role="alert" id="recover-problem" className="status-error">
          {t(`problem.${problem}`)}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
