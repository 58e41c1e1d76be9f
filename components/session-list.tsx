"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import {
  describeError,
  type SessionInfo,
  signOutOtherSessions,
  signOutSession,
} from "./api-client";
import { LocalTime } from "./local-time";
import { Button } from "./ui/button";

const deviceName = (s: SessionInfo) => `${s.device.browser} on ${s.device.os}`;

const HOW: Record<SessionInfo["method"], string> = {
  password: "Phone, signed in with password",
  app: "Phone app",
  qr: "Computer, signed in by QR code",
};

type Request = { session: SessionInfo; reported: boolean } | { all: true };

/**
 * Every phone and computer signed in to the account, this device marked,
 * each other one with Sign out (and, for a computer, "This wasn't me", which
 * also records it), and Sign out all other devices. Every button names its
 * device for screen readers. The server page re-renders the list after each
 * change.
 */
export function SessionList({ sessions }: { sessions: SessionInfo[] }) {
  const router = useRouter();
  const signOut = useMutation({
    mutationFn: async (r: Request): Promise<void> => {
      if ("all" in r) await signOutOtherSessions();
      else await signOutSession(r.session.id, r.reported);
    },
    onSuccess: () => router.refresh(),
  });

  const done = signOut.isSuccess ? signOut.variables : undefined;
  const others = sessions.filter((s) => !s.current);
  const linkedTo = (s: SessionInfo) => sessions.filter((c) => c.approvedBy === s.id).length;
  return (
    <>
      {done ? (
        <p role="status" className="status status-ok">
          {"all" in done
            ? "All your other devices are signed out."
            : `${deviceName(done.session)} is signed out${done.reported ? " and reported" : ""}.`}
        </p>
      ) : null}
      {signOut.isError ? (
        <p role="alert" className="status-error">
          {describeError(signOut.error)}
        </p>
      ) : null}
      <ul aria-label="Signed-in devices" style={{ listStyle: "none", padding: 0 }}>
        {sessions.map((s) => (
          <li key={s.id}>
            <h2>
              {deviceName(s)}
              {s.current ? <span className="badge"> · This device</span> : null}
            </h2>
            <dl className="details">
              <dt>Kind</dt>
              <dd>{HOW[s.method]}</dd>
              <dt>IP address</dt>
              <dd>{s.device.ip}</dd>
              <dt>Signed in</dt>
              <dd>
                <LocalTime iso={s.createdAt} />
              </dd>
              <dt>Last seen</dt>
              <dd>
                <LocalTime iso={s.lastSeenAt} />
              </dd>
            </dl>
            {s.kind === "phone" && linkedTo(s) > 0 ? (
              <p className="muted">
                Signing it out also signs out the {linkedTo(s)} computer
                {linkedTo(s) === 1 ? "" : "s"} it approved.
              </p>
            ) : null}
            {s.current ? null : (
              <div className="actions">
                <Button
                  variant="secondary"
                  disabled={signOut.isPending}
                  aria-label={`Sign out ${deviceName(s)}`}
                  onClick={() => signOut.mutate({ session: s, reported: false })}
                >
                  Sign out
                </Button>
                {s.kind === "computer" ? (
                  <Button
                    variant="danger"
                    disabled={signOut.isPending}
                    aria-label={`This wasn't me: sign out ${deviceName(s)} and report it`}
                    onClick={() => signOut.mutate({ session: s, reported: true })}
                  >
                    This wasn&apos;t me
                  </Button>
                ) : null}
              </div>
            )}
          </li>
        ))}
      </ul>
      {others.length > 1 ? (
        <Button
          variant="danger"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate({ all: true })}
        >
          Sign out all other devices
        </Button>
      ) : null}
    </>
  );
}
