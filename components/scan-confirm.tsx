"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { answerTicket, type ScanWarning, scanTicket } from "./api-client";
import { Countdown } from "./countdown";
import { NeverApproveNote } from "./never-approve-note";
import { usePasskeyApprove } from "./passkey-approve";
import { isReplacedCode, ReplacedCode } from "./replaced-code";
import { RequesterDetails } from "./requester-details";
import { CountryWarning } from "./requester-origin";
import { scanProblem } from "./scan-problem";
import { Button } from "./ui/button";

type Answer = "confirm" | "deny" | "report";

/** What each warning says, before the person approves. */
const WARNINGS: Record<Exclude<ScanWarning, "different_country">, string> = {
  different_network:
    "This sign-in request comes from a different network than your phone. If someone sent you this code, deny it.",
  old_code:
    "This code was made more than a minute ago. If someone sent you a photo or a link of it, deny it.",
};

/**
 * The phone after scanning: marks the ticket scanned (idempotent, so one
 * query per ticket), shows who is asking and any sign that the code was
 * relayed, and sends Approve, Deny or "This wasn't me".
 */
export function ScanConfirm({
  ticketId,
  userName,
  qrToken = "",
}: {
  ticketId: string;
  userName: string;
  /** The `t` of the QR's URL (the QR rotates while it waits). */
  qrToken?: string;
}) {
  const scan = useQuery({
    queryKey: ["scan", ticketId, qrToken],
    queryFn: () => scanTicket(ticketId, qrToken),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  const approve = usePasskeyApprove(ticketId);
  const answer = useMutation({
    mutationFn: (a: Answer) => (a === "confirm" ? approve() : answerTicket(ticketId, a)),
  });

  const ticket = scan.data;
  if (scan.isPending) return <p role="status">Checking the login request…</p>;

  const error = scan.error ?? answer.error;
  if (isReplacedCode(error)) return <ReplacedCode />;
  if (error) {
    const problem = scanProblem(error);
    return (
      <div role="alert" className="result result-warn">
        <h1>{problem.title}</h1>
        <p>{problem.text}</p>
        {problem.retry ? (
          <Button onClick={() => (scan.error ? scan.refetch() : answer.reset())}>Try again</Button>
        ) : (
          <Link className="btn btn-secondary" href="/m">
            Back to the app
          </Link>
        )}
      </div>
    );
  }

  if (answer.isSuccess && answer.variables === "report") {
    return (
      <div role="status" className="result result-warn">
        <h1>Reported and declined</h1>
        <p>
          The computer was not signed in, and this request is in your{" "}
          <Link href="/m/activity">security history</Link>. If you shared your code or password with
          anyone, change your password.
        </p>
      </div>
    );
  }

  if (answer.isSuccess) {
    const approved = answer.data.state === "confirmed";
    return (
      <div role="status" className={`result ${approved ? "result-ok" : "result-warn"}`}>
        <h1>{approved ? "You're signed in on the computer" : "Login declined"}</h1>
        <p>
          {approved
            ? "You can go back to the computer now."
            : "The computer was not signed in. If that wasn't you, nothing else is needed."}
        </p>
      </div>
    );
  }

  if (!ticket) return null;
  return (
    <section aria-labelledby="confirm-title">
      <h1 id="confirm-title">Sign in on a computer?</h1>
      <p>
        <strong>{userName}</strong>, a computer is asking to sign in to your account:
      </p>
      {ticket.warnings?.length ? (
        <div role="alert" className="warning">
          {ticket.warnings.map((w) => (
            <p key={w}>
              <strong>
                {w === "different_country" ? <CountryWarning ticket={ticket} /> : WARNINGS[w]}
              </strong>
            </p>
          ))}
        </div>
      ) : null}
      <RequesterDetails ticket={ticket} />
      <p className="warning">Only approve if you are signing in on that computer right now.</p>
      <NeverApproveNote />
      <Countdown until={ticket.expiresAt} label="Answer within" />
      <div className="answer-buttons">
        <Button
          variant="primary"
          onClick={() => answer.mutate("confirm")}
          disabled={answer.isPending}
        >
          Approve
        </Button>
        <Button variant="danger" onClick={() => answer.mutate("deny")} disabled={answer.isPending}>
          Deny
        </Button>
      </div>
      <div className="actions">
        <Button
          variant="secondary"
          onClick={() => answer.mutate("report")}
          disabled={answer.isPending}
        >
          This wasn&apos;t me
        </Button>
      </div>
    </section>
  );
}
