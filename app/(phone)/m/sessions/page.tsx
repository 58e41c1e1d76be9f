import Link from "next/link";
import { redirect } from "next/navigation";
import { WebSessionList } from "@/components/web-session-list";
import { currentUser } from "@/lib/auth/session";
import { webSessionView } from "@/lib/sessions/views";
import { listWebSessions } from "@/lib/sessions/web-sessions";

export const dynamic = "force-dynamic";

/** The computers this account is signed in on by QR code; sign one or all out. */
export default async function SessionsPage() {
  const user = await currentUser();
  if (!user) redirect("/m");
  const sessions = (await listWebSessions(user.id)).map(webSessionView);
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h1 id="sessions-title">Signed-in computers</h1>
      <p className="muted">
        Computers you signed in to with this phone. Signing one out ends its session at its next
        page load.
      </p>
      <WebSessionList sessions={sessions} />
      <p>
        <Link href="/m">Back to the app</Link>
      </p>
    </section>
  );
}
