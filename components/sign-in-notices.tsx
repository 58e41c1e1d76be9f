"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useNow, useTranslations } from "next-intl";
import type { SignInNotice } from "@/lib/api/shapes";
import { describeError, signOutSession } from "./api-client";
import { dismissNotice, listNotices } from "./passkey-client";
import { Button } from "./ui/button";

type Action = { notice: SignInNotice; signOut: boolean };

/** How often the phone looks for new sign-ins while it is open. */
const REFRESH_MS = 10_000;

/**
 * "New sign-in: Chrome on Windows, 2 minutes ago — Was this you?" for every
 * computer signed in by QR that this phone did not approve: one tap signs it
 * out (at once, everywhere), another dismisses the notice on every phone.
 */
export function SignInNotices() {
  const t = useTranslations("notices");
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  const client = useQueryClient();
  const notices = useQuery({
    queryKey: ["notices"],
    queryFn: listNotices,
    refetchInterval: REFRESH_MS,
  });
  const act = useMutation({
    mutationFn: async ({ notice, signOut }: Action) => {
      await (signOut ? signOutSession(notice.sessionId) : dismissNotice(notice.sessionId));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ["notices"] }),
  });

  const device = (n: SignInNotice) => t("device", { browser: n.device.browser, os: n.device.os });
  const done = act.isSuccess ? act.variables : undefined;
  const list = notices.data?.notices ?? [];
  if (list.length === 0 && !done && !act.isError) return null;
  return (
    <section aria-labelledby="notices-title" className="notices">
      <h2 id="notices-title">{t("title")}</h2>
      {done ? (
        <p role="status" className="status status-ok">
          {done.signOut
            ? t("signedOut", { device: device(done.notice) })
            : t("dismissed", { device: device(done.notice) })}
        </p>
      ) : null}
      {act.isError ? (
        <p role="alert" className="status-error">
          {describeError(act.error)}
        </p>
      ) : null}
      <ul aria-label={t("listLabel")} style={{ listStyle: "none", padding: 0 }}>
        {list.map((n) => (
          <li key={n.sessionId} className="warning">
            <p>
              <strong>
                {t("newSignIn", {
                  device: device(n),
                  when: format.relativeTime(new Date(n.signedInAt), now),
                })}
              </strong>{" "}
              {t("ip", { ip: n.device.ip })}
            </p>
            <p>{t("question")}</p>
            <div className="answer-buttons">
              <Button
                variant="danger"
                disabled={act.isPending}
                onClick={() => act.mutate({ notice: n, signOut: true })}
                aria-label={t("signOutLabel", { device: device(n) })}
              >
                {t("signOut")}
              </Button>
              <Button
                variant="secondary"
                disabled={act.isPending}
                onClick={() => act.mutate({ notice: n, signOut: false })}
                aria-label={t("dismissLabel", { device: device(n) })}
              >
                {t("dismiss")}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
