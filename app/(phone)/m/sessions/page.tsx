import Link from "next/link";
import { redirect } from "next/navigation";
import { SessionList } from "@/components/session-list";
import { currentUser } from "@/lib/auth/session";
import { listSessions, sessionView } from "@/lib/sessions/records";

export const dynamic = "force-dynamic";

/** Every phone and computer signed in to this account; sign any or all others out. */
export default async function SessionsPage() {
  const user = await currentUser();
  if (user?.kind !== "phone") redirect("/m");
  const sessions = (await listSessions(user.id)).map((s) => sessionView(s, user.sid));
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h1 id="sessions-title">Your devices</h1>
      <p className="muted">
        Phones and computers signed in to your account. Signing out a phone also signs out the
        computers it approved. A device you sign out is signed out at once.
      </p>
      <SessionList sessions={sessions} />
      <p>
        <Link href="/m">Back to the app</Link>
      </p>
    </section>
  );
}
