import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SessionList } from "@/components/session-list";
import { currentUser } from "@/lib/auth/session";
import { locate } from "@/lib/geo/locate";
import { phoneTitle } from "@/lib/phone/page-title";
import { listSessions, sessionView } from "@/lib/sessions/records";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("sessions");

/** Every phone and computer signed in to this account; sign any or all others out. */
export default async function SessionsPage() {
  const user = await currentUser();
  if (user?.kind !== "phone") redirect("/m");
  const sessions = (await listSessions(user.id)).map((s) => sessionView(s, user.sid));
  // Where each one signed in from: two phones of one model are told apart by it (and by the time).
  const places = Object.fromEntries(
    await Promise.all(sessions.map(async (s) => [s.id, await locate(s.device.ip)] as const)),
  );
  const t = await getTranslations("phone");
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h1 id="sessions-title">{t("sessions.title")}</h1>
      <p className="muted">{t("sessions.lead")}</p>
      <SessionList sessions={sessions} places={places} />
      <p>
        <Link href="/m">{t("nav.back")}</Link>
      </p>
    </section>
  );
}
