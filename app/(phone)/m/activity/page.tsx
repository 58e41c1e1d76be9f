import Link from "next/link";
import { redirect } from "next/navigation";
import { LocalTime } from "@/components/local-time";
import { currentUser } from "@/lib/auth/session";
import { type HistoryEntry, recentHistory } from "@/lib/history/history";

export const dynamic = "force-dynamic";

function describeEntry(entry: HistoryEntry): string {
  switch (entry.kind) {
    case "login":
      return "Signed in on a computer";
    case "denied":
      return "Declined a sign-in request";
    case "reported_request":
      return "Reported a sign-in request as not yours";
    case "signed_out":
      return entry.by === "computer" ? "Signed out on the computer" : "Signed a computer out";
    case "reported_session":
      return "Reported a signed-in computer as not yours and signed it out";
  }
}

/** The account's recent QR sign-ins, declines and sign-outs, newest first. */
export default async function ActivityPage() {
  const user = await currentUser();
  if (!user) redirect("/m");
  const entries = await recentHistory(user.id);
  return (
    <section className="card" aria-labelledby="activity-title">
      <h1 id="activity-title">Security history</h1>
      {entries.length === 0 ? (
        <p className="muted">Nothing yet: QR sign-ins, declines and sign-outs will show here.</p>
      ) : (
        <ol aria-label="Recent activity" style={{ listStyle: "none", padding: 0 }}>
          {entries.map((entry) => (
            <li key={`${entry.at}-${entry.kind}-${entry.ip}`}>
              <h2>{describeEntry(entry)}</h2>
              <dl className="details">
                <dt>When</dt>
                <dd>
                  <LocalTime iso={new Date(entry.at).toISOString()} />
                </dd>
                <dt>Computer</dt>
                <dd>{`${entry.browser} on ${entry.os}`}</dd>
                <dt>IP address</dt>
                <dd>{entry.ip}</dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
      <p className="muted">The last 50 events of the past 90 days are kept.</p>
      <p>
        <Link href="/m">Back to the app</Link>
      </p>
    </section>
  );
}
