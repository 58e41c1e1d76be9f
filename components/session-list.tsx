"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import {
  describeError,
  type SessionInfo,
  signOutOtherSessions,
  signOutSession,
} from "./api-client";
import { LocalTime } from "./local-time";
import { Button } from "./ui/button";

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
  const t = useTranslations("phone.sessions");
  const deviceName = (s: SessionInfo) =>
    t("device", { browser: s.device.browser, os: s.device.os });
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
            ? t("allDone")
            : t(done.reported ? "reportedDone" : "done", { device: deviceName(done.session) })}
        </p>
      ) : null}
      {signOut.isError ? (
        <p role="alert" className="status-error">
          {t("failed", { reason: describeError(signOut.error) })}
        </p>
      ) : null}
      <ul aria-label={t("list")} className="plain-list">
        {sessions.map((s) => (
          <li key={s.id}>
            <h2>
              {deviceName(s)}
              {s.current ? <span className="badge"> · {t("thisDevice")}</span> : null}
            </h2>
            <dl className="details">
              <dt>{t("kind")}</dt>
              <dd>{t(s.method)}</dd>
              <dt>{t("ip")}</dt>
              <dd className="nowrap">{s.device.ip}</dd>
              <dt>{t("signedIn")}</dt>
              <dd>
                <LocalTime iso={s.createdAt} />
              </dd>
              <dt>{t("lastSeen")}</dt>
              <dd>
                <LocalTime iso={s.lastSeenAt} />
              </dd>
            </dl>
            {s.kind === "phone" && linkedTo(s) > 0 ? (
              <p className="muted">{t("linked", { count: linkedTo(s) })}</p>
            ) : null}
            {s.current ? null : (
              <div className="actions">
                <Button
                  variant="secondary"
                  disabled={signOut.isPending}
                  aria-label={t("signOutLabel", { device: deviceName(s) })}
                  onClick={() => signOut.mutate({ session: s, reported: false })}
                >
                  {t("signOut")}
                </Button>
                {s.kind === "computer" ? (
                  <Button
                    variant="danger"
                    disabled={signOut.isPending}
                    aria-label={t("reportLabel", { device: deviceName(s) })}
                    onClick={() => signOut.mutate({ session: s, reported: true })}
                  >
                    {t("report")}
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
          {t("signOutAll")}
        </Button>
      ) : null}
    </>
  );
}
