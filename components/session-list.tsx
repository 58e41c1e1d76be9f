"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import {
  describeError,
  signOutAllWebSessions,
  signOutWebSession,
  type WebSessionInfo,
} from "./api-client";
import { LocalTime } from "./local-time";
import { Button } from "./ui/button";

const deviceName = (s: WebSessionInfo) => `${s.browser} on ${s.os}`;

type Request = { session: WebSessionInfo; reported: boolean } | { all: true };

/**
 * The computers signed in by QR, each with Sign out and "This wasn't me"
 * (signs out and records it), and Sign out all. The server page re-renders
 * the list after each change.
 */
export function WebSessionList({ sessions }: { sessions: WebSessionInfo[] }) {
  const router = useRouter();
  const signOut = useMutation({
    mutationFn: async (r: Request): Promise<void> => {
      if ("all" in r) await signOutAllWebSessions();
      else await signOutWebSession(r.session.id, r.reported);
    },
    onSuccess: () => router.refresh(),
  });

  const done = signOut.isSuccess ? signOut.variables : undefined;
  return (
    <>
      {done ? (
        <p role="status" className="status status-ok">
          {"all" in done
            ? "All computers are signed out."
            : `${deviceName(done.session)} is signed out${done.reported ? " and reported" : ""}.`}
        </p>
      ) : null}
      {signOut.isError ? (
        <p role="alert" className="status-error">
          {describeError(signOut.error)}
        </p>
      ) : null}
      {sessions.length === 0 ? (
        <p className="muted">No computer is signed in to your account with a QR code.</p>
      ) : (
        <ul aria-label="Signed-in computers" style={{ listStyle: "none", padding: 0 }}>
          {sessions.map((s) => (
            <li key={s.id}>
              <h2>{deviceName(s)}</h2>
              <dl className="details">
                <dt>IP address</dt>
                <dd>{s.ip}</dd>
                <dt>Signed in</dt>
                <dd>
                  <LocalTime iso={s.createdAt} />
                </dd>
                <dt>Last seen</dt>
                <dd>
                  <LocalTime iso={s.lastSeenAt} />
                </dd>
              </dl>
              <div className="actions">
                <Button
                  variant="secondary"
                  disabled={signOut.isPending}
                  onClick={() => signOut.mutate({ session: s, reported: false })}
                >
                  Sign out
                </Button>
                <Button
                  variant="danger"
                  disabled={signOut.isPending}
                  onClick={() => signOut.mutate({ session: s, reported: true })}
                >
                  This wasn&apos;t me
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {sessions.length > 1 ? (
        <Button
          variant="danger"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate({ all: true })}
        >
          Sign out all computers
        </Button>
      ) : null}
    </>
  );
}
