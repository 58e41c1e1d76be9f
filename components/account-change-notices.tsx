"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { describeError } from "./api-client";
import { dismissNotice, listNotices } from "./passkey-client";
import { Button } from "./ui/button";

/**
 * Changes to the account made from its other devices, on the phone home:
 * a passkey added or removed, or the account recovered with a recovery code
 * (its passkeys removed, the other devices signed out). "Yes, it was me"
 * hides one on every phone; otherwise Security is one tap away.
 */
export function AccountChangeNotices() {
  const t = useTranslations("notices");
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  const client = useQueryClient();
  // The same query as the sign-in notices: one request for both.
  const notices = useQuery({ queryKey: ["notices"], queryFn: listNotices });
  const dismiss = useMutation({
    mutationFn: (id: string) => dismissNotice(id),
    onSuccess: () => client.invalidateQueries({ queryKey: ["notices"] }),
  });
  const changes = notices.data?.passkeyChanges ?? [];
  if (changes.length === 0 && !dismiss.isError) return null;
  return (
    <section aria-labelledby="changes-title" className="notices">
      <h2 id="changes-title">{t("changesTitle")}</h2>
      {dismiss.isError ? (
        <p role="alert" className="status-error">
          {describeError(dismiss.error)}
        </p>
      ) : null}
      <ul aria-label={t("changesLabel")} style={{ listStyle: "none", padding: 0 }}>
        {changes.map((c) => (
          <li key={c.id} className="warning">
            <p>
              <strong>
                {t(`change.${c.kind}`, {
                  name: c.name,
                  when: format.relativeTime(new Date(c.at), now),
                })}
              </strong>
            </p>
            <p>
              {t("changeQuestion")} <Link href="/m/security">{t("changeSecurity")}</Link>
            </p>
            <Button
              variant="secondary"
              disabled={dismiss.isPending}
              onClick={() => dismiss.mutate(c.id)}
            >
              {t("dismiss")}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
