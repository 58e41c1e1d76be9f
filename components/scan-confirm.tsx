"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import {
  ApiRequestError,
  answerTicket,
  isOfflineError,
  scanTicket,
  type TicketApproval,
} from "./api-client";
import { Countdown } from "./countdown";
import { FocusHeading } from "./focus-heading";
import { NeverApproveNote } from "./never-approve-note";
import { OpenRequest } from "./open-request";
import { usePasskeyApprove } from "./passkey-approve";
import { isReplacedCode, ReplacedCode } from "./replaced-code";
import { RequesterDetails } from "./requester-details";
import { scanProblem } from "./scan-problem";
import { NextActions, type Outcome, ScanResult } from "./scan-result";
import { ScanWarnings } from "./scan-warnings";
import { Button } from "./ui/button";
import { useApproval } from "./use-approval";
import { useOnline } from "./use-online";

type Answer = "confirm" | "deny" | "report";

/** While following the ticket fails: the network's fault or the server's, said as it is. */
function connectionNote(failure: unknown, t: (key: string) => string): string {
  if (!(failure instanceof ApiRequestError)) return "";
  if (failure.status === 0) {
    return isOfflineError(failure) ? t("confirm.unreachable") : t("confirm.noAnswer");
  }
  return failure.status >= 500 ? t("confirm.serverDown") : "";
}

/** Where the ticket stands, as the phone that scanned it should tell it. */
function outcomeOf(a: TicketApproval | undefined, answered: Answer | undefined): Outcome | null {
  if (!a) return answered === "confirm" ? { kind: "waiting" } : null;
  switch (a.state) {
    case "confirmed":
      return { kind: "waiting", asking: a.continueRequired === true };
    case "consumed":
      return { kind: "signedIn", browser: a.computer.browser, os: a.computer.os };
    case "expired":
      return { kind: a.approved || answered === "confirm" ? "unfinished" : "expired" };
    case "denied":
      return { kind: answered === "report" ? "reported" : "denied" };
    case "cancelled":
      return { kind: a.refused ? "refused" : "cancelled" };
    default:
      // Still "scanned" in the last read: the answer just given is newer.
      return answered === "confirm" ? { kind: "waiting" } : null;
  }
}

/**
 * The phone after scanning: marks the ticket scanned (idempotent, so one
 * query per ticket), shows who is asking and any sign that the code was
 * relayed, and sends Approve, Deny or "This wasn't me". It follows the ticket
 * the whole time (useApproval): a request that ended on the computer or ran
 * out turns final here without a tap, and after Approve it says "signed in"
 * only once the computer really is. `askFirst` (opened from another site's
 * link): nothing is scanned until the person taps to open the request.
 */
export function ScanConfirm({
  ticketId,
  userName,
  qrToken = "",
  askFirst = false,
}: {
  ticketId: string;
  userName: string;
  /** The `t` of the QR's URL (the QR rotates while it waits). */
  qrToken?: string;
  /** Opened from a link on another site: scan only after a tap. */
  askFirst?: boolean;
}) {
  const t = useTranslations("phone");
  const online = useOnline();
  const [opened, setOpened] = useState(!askFirst);
  const scan = useQuery({
    enabled: opened,
    queryKey: ["scan", ticketId, qrToken],
    queryFn: () => scanTicket(ticketId, qrToken),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const approveWithPasskey = usePasskeyApprove(ticketId);
  const answer = useMutation({
    mutationFn: (a: Answer) => (a === "confirm" ? approveWithPasskey() : answerTicket(ticketId, a)),
  });
  // Follow the ticket once it is ours: scanned now, or answered before a reload.
  const scannedBefore =
    scan.error instanceof ApiRequestError && scan.error.code === "invalid_state";
  const approval = useApproval(ticketId, scan.isSuccess || scannedBefore);

  if (!opened) return <OpenRequest onOpen={() => setOpened(true)} />;
  const answered = answer.isSuccess ? answer.variables : undefined;
  const outcome = outcomeOf(approval.data, answered);
  if (outcome) return <ScanResult outcome={outcome} />;
  if (answered === "deny" || answered === "report") {
    return <ScanResult outcome={{ kind: answered === "report" ? "reported" : "denied" }} />;
  }

  if (scan.isPending || (scannedBefore && approval.isPending)) {
    return <p role="status">{t("confirm.checking")}</p>;
  }
  const error = scan.error ?? answer.error;
  if (isReplacedCode(error)) return <ReplacedCode />;
  if (error) {
    const problem = scanProblem(error, (key) => t(`problem.${key}`));
    return (
      <div role="alert" className="result result-warn">
        <FocusHeading>{problem.title}</FocusHeading>
        <p>{problem.text}</p>
        {problem.link ? (
          <p>
            <Link href={problem.link.href}>{problem.link.label}</Link>
          </p>
        ) : null}
        {problem.retry ? (
          <Button onClick={() => (scan.error ? scan.refetch() : answer.reset())}>
            {t("confirm.tryAgain")}
          </Button>
        ) : (
          <NextActions outcome="problem" />
        )}
      </div>
    );
  }

  const ticket = scan.data;
  if (!ticket) return null;
  const warned = ticket.warnings.length > 0;
  const disabled = answer.isPending || !online;
  const approve = (
    <Button
      key="approve"
      variant={warned ? "secondary" : "primary"}
      onClick={() => answer.mutate("confirm")}
      disabled={disabled}
    >
      {t("confirm.approve")}
    </Button>
  );
  const deny = (
    <Button key="deny" variant="danger" onClick={() => answer.mutate("deny")} disabled={disabled}>
      {t("confirm.deny")}
    </Button>
  );
  return (
    <section aria-labelledby="confirm-title">
      <FocusHeading id="confirm-title">{t("confirm.title")}</FocusHeading>
      <p>{t("confirm.asking", { name: userName })}</p>
      {ticket.app ? (
        <p className="confirm-app">{t("confirm.forApp", { app: ticket.app })}</p>
      ) : null}
      <ScanWarnings ticket={ticket} />
      <RequesterDetails ticket={ticket} />
      <p className="note">{t("confirm.onlyIf")}</p>
      <p role="status" className="offline-note">
        {online ? connectionNote(approval.failureReason, t) : t("confirm.offline")}
      </p>
      {/* The answer before the longer notes: on a 320 × 568 screen it stays above the fold. */}
      <div className="answer-buttons">{warned ? [deny, approve] : [approve, deny]}</div>
      <Countdown until={ticket.expiresAt} label={t("confirm.answerWithin")} />
      <NeverApproveNote />
      <div className="actions">
        <Button variant="secondary" onClick={() => answer.mutate("report")} disabled={disabled}>
          {t("confirm.report")}
        </Button>
      </div>
    </section>
  );
}
