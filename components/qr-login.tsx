"use client";

import { useEffect, useRef, useState } from "react";
import { Countdown } from "./countdown";
import { loginMessage, pollErrorKey } from "./login-message";
import { QrCodePanel } from "./qr-code-panel";
import { Button } from "./ui/button";
import { useLoginTicket } from "./use-login-ticket";
import { useOnline } from "./use-online";
import { preloadClaim, useQrClaim } from "./use-qr-claim";
import { UserCodeHint } from "./user-code-hint";
import { useWords } from "./words";

/**
 * The desktop's QR login: show the code, follow it, sign in when the phone
 * approves. Every state keeps the same geometry (the QR box, two lines of
 * status, one line for the countdown or a problem, the code, one row of
 * actions), so nothing jumps as the ticket moves on.
 */
export function QrLogin({
  callbackUrl,
  app,
  oidc,
}: {
  callbackUrl: string;
  /** Signing in to an app through the OpenID Provider: its name, and the interaction's id. */
  app?: string;
  oidc?: string;
}) {
  const tr = useWords("login");
  const t = useLoginTicket(oidc);
  const online = useOnline();
  // "Continue as …?" answered with Continue, for this ticket.
  const [continuedFor, setContinuedFor] = useState<string | undefined>(undefined);
  const continued = continuedFor !== undefined && continuedFor === t.ticket?.ticketId;
  const asking = t.continueRequired && !continued;
  const claim = useQrClaim(
    t.ticket?.ticketId,
    t.state === "confirmed" && !asking && !t.refusing && !t.refused,
    callbackUrl,
    continued ? t.scannerUsername : undefined,
    t.expiresAt,
  );
  const message = loginMessage({
    ...t,
    asking,
    claimFailed: claim.failed,
    claimRetrying: claim.retrying,
  });
  const live = message.qr === "live" || message.qr === "scanned";
  // Scanned: the sign-in calls are loaded now, before the approval needs them.
  const scanned = t.state === "scanned" || t.state === "confirmed";
  useEffect(() => {
    if (scanned) preloadClaim();
  }, [scanned]);

  // Keeps the last code drawn (faded) after it stops being valid: no empty box.
  const lastUrl = useRef<string | undefined>(undefined);
  if (t.ticket?.scanUrl) lastUrl.current = t.ticket.scanUrl;

  // Focus follows the person's action: after Cancel to "Get a new code", after that to the heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const reloadButton = useRef<HTMLButtonElement>(null);
  const acted = useRef(false);
  const stateKey = `${message.key}:${message.qr}`;
  // The question "Continue as …?" takes focus (it needs an answer before anything happens).
  const question = useRef<HTMLParagraphElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the state changes
  useEffect(() => {
    if (message.ask) {
      question.current?.focus();
      return;
    }
    if (!acted.current) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    (reloadButton.current ?? heading.current)?.focus();
  }, [stateKey]);

  const act = (f: () => void) => () => {
    acted.current = true;
    f();
  };

  let problem: string | null = null;
  if (!online) problem = tr("offline");
  else if (t.cancelError) problem = tr("cancelError");
  else if (t.refuseError) problem = tr("refuseError");
  else if (t.statusError && !t.lost) problem = tr(pollErrorKey(t.statusError));

  return (
    <div className="login-qr">
      <h1 id="login-title" ref={heading} tabIndex={-1}>
        {app ? tr("signInTo", { app }) : tr("heading")}
      </h1>
      <div className="login-columns">
        <ol className="steps" aria-label={tr("steps.label")}>
          <li>{tr("steps.open")}</li>
          <li>{tr.rich("steps.scan", { b: (chunks) => <strong>{chunks}</strong> })}</li>
          <li>{tr.rich("steps.approve", { b: (chunks) => <strong>{chunks}</strong> })}</li>
        </ol>
        <div className="login-code">
          <QrCodePanel
            value={lastUrl.current}
            mode={message.qr === "busy" && !lastUrl.current ? "skeleton" : message.qr}
            scannerName={t.scannerName}
            reload={
              message.reload
                ? { label: tr(message.reload), onClick: act(t.newCode), ref: reloadButton }
                : undefined
            }
          />
          <div role="status" className={`status status-${message.tone}`}>
            {message.ask ? (
              <p ref={question} tabIndex={-1} className="continue-question">
                {tr(message.key, message.values)}
              </p>
            ) : (
              tr(message.key, message.values)
            )}
          </div>
          <div className="status-line">
            {problem ? (
              <p role="alert" className="status-error">
                {problem}
              </p>
            ) : live && t.expiresAt ? (
              <Countdown
                until={t.expiresAt}
                label={message.ask ? tr("answerWithin") : tr("expiresIn")}
              />
            ) : null}
          </div>
          <div className="code-slot">
            {message.showCode && t.ticket ? (
              <UserCodeHint userCode={t.ticket.userCode} mode={message.showCode} />
            ) : null}
            {message.ask ? (
              <p className="continue-detail">
                {tr("continueDetail", { username: t.scannerUsername ?? "" })}
              </p>
            ) : null}
          </div>
          <div className="actions">
            {message.ask ? (
              <>
                <Button
                  onClick={act(() => setContinuedFor(t.ticket?.ticketId))}
                  disabled={t.refusing}
                >
                  {tr("continue")}
                </Button>
                <Button variant="secondary" onClick={act(t.refuse)} disabled={t.refusing}>
                  {tr("notMe")}
                </Button>
              </>
            ) : null}
            {message.canCancel ? (
              <Button variant="secondary" onClick={act(t.cancel)} disabled={t.cancelling}>
                {tr("cancel")}
              </Button>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}
