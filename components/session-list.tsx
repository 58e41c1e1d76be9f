"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import {
  describeError,
  type Location,
  type SessionInfo,
  signOutOtherSessions,
  signOutSession,
} from "./api-client";
import { LocalTime, useLocalTime } from "./local-time";
import { usePlace } from "./requester-origin";
import { Button } from "./ui/button";

type Request = { session: SessionInfo; reported: boolean } | { all: true };

/**
 * Every phone and computer signed in to the account, this device marked,
 * each other one with Sign out (and, for a computer, "This wasn't me", which
 * also records it), and Sign out all other devices. Every button names its
 * device for screen readers, with when and where it signed in (two phones of
 * one model read alike otherwise). After a sign-out, focus goes to what
 * happened (the button is gone). The server page re-renders the list after
 * each change.
 */
export function SessionList({
  sessions,
  places = {},
}: {
  sessions: SessionInfo[];
  /** Where each session's address is, by session id (from the server's GeoIP). */
  places?: Record<string, Location | undefined>;
}) {
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

  const outcome = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (signOut.isSuccess || signOut.isError) outcome.current?.focus();
  }, [signOut.isSuccess, signOut.isError]);

  const done = signOut.isSuccess ? signOut.variables : undefined;
  const others = sessions.filter((s) => !s.current);
  const linkedTo = (s: SessionInfo) => sessions.filter((c) => c.approvedBy === s.id).length;
  return (
    <>
      {done ? (
        <p role="status" className="status status-ok" tabIndex={-1} ref={outcome}>
          {"all" in done
            ? t("allDone")
            : t(done.reported ? "reportedDone" : "done", { device: deviceName(done.session) })}
        </p>
      ) : null}
      {signOut.isError ? (
        <p role="alert" className="status-error" tabIndex={-1} ref={outcome}>
          {t("failed", { reason: describeError(signOut.error) })}
        </p>
      ) : null}
      <ul aria-label={t("list")} className="plain-list">
        {sessions.map((s) => (
          <SessionItem
            key={s.id}
            session={s}
            place={places[s.id]}
            device={deviceName(s)}
            linked={s.kind === "phone" ? linkedTo(s) : 0}
            busy={signOut.isPending}
            onSignOut={(reported) => signOut.mutate({ session: s, reported })}
          />
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

/** One signed-in device: what it is, how, from where and when; its buttons name all that. */
function SessionItem({
  session: s,
  place: location,
  device,
  linked,
  busy,
  onSignOut,
}: {
  session: SessionInfo;
  place: Location | undefined;
  device: string;
  linked: number;
  busy: boolean;
  onSignOut: (reported: boolean) => void;
}) {
  const t = useTranslations("phone.sessions");
  const place = usePlace(location);
  const when = useLocalTime(s.createdAt, true);
  const which = place ? t("which", { device, when, place }) : t("whichNoPlace", { device, when });
  // A computer made by the desktop's password form is a computer, not a phone.
  const kind = s.kind === "computer" && s.method === "password" ? "computerPassword" : s.method;
  return (
    <li>
      <h2>
        {device}
        {s.current ? <span className="badge"> · {t("thisDevice")}</span> : null}
      </h2>
      <dl className="details">
        <dt>{t("kind")}</dt>
        <dd>{t(kind)}</dd>
        <dt>{t("ip")}</dt>
        <dd className="nowrap">{s.device.ip}</dd>
        {place ? (
          <>
            <dt>{t("place")}</dt>
            <dd>{place}</dd>
          </>
        ) : null}
        <dt>{t("signedIn")}</dt>
        <dd>
          <LocalTime iso={s.createdAt} seconds />
        </dd>
        <dt>{t("lastSeen")}</dt>
        <dd>
          <LocalTime iso={s.lastSeenAt} />
        </dd>
      </dl>
      {linked > 0 ? <p className="muted">{t("linked", { count: linked })}</p> : null}
      {s.current ? null : (
        <div className="actions">
          <Button
            variant="secondary"
            disabled={busy}
            aria-label={t("signOutLabel", { device: which })}
            onClick={() => onSignOut(false)}
          >
            {t("signOut")}
          </Button>
          {s.kind === "computer" ? (
            <Button
              variant="danger"
              disabled={busy}
              aria-label={t("reportLabel", { device: which })}
              onClick={() => onSignOut(true)}
            >
              {t("report")}
            </Button>
          ) : null}
        </div>
      )}
    </li>
  );
}
