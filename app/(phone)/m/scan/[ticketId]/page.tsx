import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { PhoneSignIn } from "@/components/phone-sign-in";
import { ScanConfirm } from "@/components/scan-confirm";
import { currentUser } from "@/lib/auth/session";
import { isForeignNavigation } from "@/lib/phone/foreign-link";
import { phoneTitle } from "@/lib/phone/page-title";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("request");

/** Added to the page's address by the page itself: this request came from another site's link. */
const ASK = "ask";

/**
 * Where the QR leads. Signed out: sign in first, on this same URL, so the
 * ticket is not lost. Signed in: scan it and ask whether to approve. Opened
 * from a link on another site, it scans only after the person taps "Open
 * this sign-in request" (kept through sign-in with `?ask=1`).
 */
export default async function ScanPage({
  params,
  searchParams,
}: {
  params: Promise<{ ticketId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ticketId } = await params;
  const search = await searchParams;
  const askFirst = search[ASK] === "1" || isForeignNavigation(await headers());
  // The QR's own query (if any) is kept through sign-in.
  const query = new URLSearchParams(
    Object.entries(search).flatMap(([k, v]) => [v ?? []].flat().map((x) => [k, x])),
  );
  if (askFirst) query.set(ASK, "1");
  // The QR's token (it rotates while the computer waits); the scan checks it.
  const token = search.t;
  const qrToken = typeof token === "string" ? token : "";
  const user = await currentUser();
  if (!user) {
    const t = await getTranslations("phone.signIn");
    const q = query.toString();
    return (
      <section className="card" aria-labelledby="signin-title">
        <h1 id="signin-title">{t("continueTitle")}</h1>
        <p className="muted">{t("continueLead")}</p>
        <PhoneSignIn callbackUrl={`/m/scan/${encodeURIComponent(ticketId)}${q ? `?${q}` : ""}`} />
      </section>
    );
  }
  return (
    <div className="card">
      <ScanConfirm ticketId={ticketId} userName={user.name} qrToken={qrToken} askFirst={askFirst} />
    </div>
  );
}
