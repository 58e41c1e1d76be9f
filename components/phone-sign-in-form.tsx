"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { credentialsSignIn } from "./auth-client";
import { CredentialFields } from "./credential-fields";
import { Button } from "./ui/button";

export type SignInProblem = "wrong" | "tooMany" | "disabled" | "failed" | "offline" | "noAnswer";

/**
 * Username and password for the phone (next-auth `credentials`). A plain form
 * that POSTs to next-auth's callback with the server-rendered CSRF token, so it
 * works before and without JavaScript (a password never lands in a URL; a
 * wrong one comes back as `?error=`). With JavaScript it signs in by fetch and
 * shows errors in place; on success `callbackUrl` re-renders signed in.
 */
export function PhoneSignInForm({
  csrfToken,
  callbackUrl,
  idempotencyKey,
  problem: initial,
}: {
  csrfToken: string;
  callbackUrl: string;
  /** Names this sign-in: sent twice (a proxy's retry, a double tap), it makes one phone session. */
  idempotencyKey: string;
  problem: SignInProblem | null;
}) {
  const t = useTranslations("phone.signIn");
  const router = useRouter();
  const [problem, setProblem] = useState<SignInProblem | null>(initial);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      const result = await credentialsSignIn("credentials", {
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
        idempotencyKey,
      });
      if (result.ok) {
        router.replace(callbackUrl);
        router.refresh();
        return;
      }
      const error = result.error ?? "";
      if (result.unavailable) setProblem("failed");
      else {
        setProblem(
          error.startsWith("Too many attempts")
            ? "tooMany"
            : error.startsWith("This account is disabled")
              ? "disabled"
              : "wrong",
        );
      }
    } catch {
      // No answer: the person's connection when the browser is offline, else the service.
      setProblem(navigator.onLine ? "noAnswer" : "offline");
    }
    setBusy(false);
  }

  return (
    <form
      className="form"
      method="post"
      action="/api/auth/callback/credentials"
      onSubmit={onSubmit}
    >
      <input type="hidden" name="csrfToken" value={csrfToken} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {problem ? (
        <p role="alert" id="sign-in-problem" className="status-error">
          {t(problem)}
        </p>
      ) : null}
      <CredentialFields
        labels={{ username: t("username"), password: t("password") }}
        problemId={problem ? "sign-in-problem" : undefined}
      />
      <Button type="submit" disabled={busy}>
        {busy ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
