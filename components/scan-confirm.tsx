"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { answerTicket, scanTicket } from "./api-client";
import { Countdown } from "./countdown";
import { RequesterDetails } from "./requester-details";
import { scanProblem } from "./scan-problem";
import { Button } from "./ui/button";

/**
 * The phone after scanning: marks the ticket scanned (idempotent, so one
 * query per ticket), shows who is asking, and sends Approve or Deny.
 */
export function ScanConfirm({ ticketId, userName }: { ticketId: string; userName: string }) {
  const scan = useQuery({
    queryKey: ["scan", ticketId],
    queryFn: () => scanTicket(ticketId),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  const answer = useMutation({ mutationFn: (a: "confirm" | "deny") => answerTicket(ticketId, a) });

  const ticket = scan.data;
  if (scan.isPending) return <p role="status">Checking the login request…</p>;

  const error = scan.error ?? answer.error;
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
      <RequesterDetails ticket={ticket} />
      <p className="warning">Only approve if you are signing in on that computer right now.</p>
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
    </section>
  );
}
