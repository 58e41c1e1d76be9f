"use client";

import { describeError } from "./api-client";
import { Countdown } from "./countdown";
import { loginMessage, pollErrorText } from "./login-message";
import { QrCodePanel } from "./qr-code-panel";
import { Button } from "./ui/button";
import { useLoginTicket } from "./use-login-ticket";
import { useQrClaim } from "./use-qr-claim";
import { UserCodeHint } from "./user-code-hint";

/** The desktop's QR login: show the code, follow it, sign in when the phone approves. */
export function QrLogin({ callbackUrl }: { callbackUrl: string }) {
  const t = useLoginTicket();
  const claim = useQrClaim(t.ticket?.ticketId, t.state === "confirmed", callbackUrl);
  const message = loginMessage({ ...t, claimFailed: claim.failed });
  const live = message.qr === "live";

  return (
    <section className="card login-card" aria-labelledby="login-title">
      <h1 id="login-title">Sign in with your phone</h1>
      <QrCodePanel value={t.ticket?.scanUrl} mode={message.qr} scannerName={t.scannerName} />
      <div role="status" className={`status status-${message.tone}`}>
        {message.text}
      </div>
      {live && t.expiresAt ? <Countdown until={t.expiresAt} label="Code expires in" /> : null}
      {t.statusError && !t.lost ? (
        <p role="alert" className="status-error">
          {pollErrorText(t.statusError)}
        </p>
      ) : null}
      {t.cancelError ? (
        <p role="alert" className="status-error">
          Couldn&apos;t cancel: {describeError(t.cancelError)}
        </p>
      ) : null}
      <div className="actions">
        {message.canCancel ? (
          <Button variant="secondary" onClick={t.cancel} disabled={t.cancelling}>
            Cancel
          </Button>
        ) : null}
        {message.offerNewCode ? <Button onClick={t.newCode}>{message.newCodeLabel}</Button> : null}
      </div>
      {live && t.ticket ? (
        <UserCodeHint scanUrl={t.ticket.scanUrl} userCode={t.ticket.userCode} />
      ) : null}
    </section>
  );
}
