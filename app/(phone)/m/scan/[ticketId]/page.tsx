import { getTranslations } from "next-intl/server";
import { PhoneSignIn } from "@/components/phone-sign-in";
import { ScanConfirm } from "@/components/scan-confirm";
import { currentUser } from "@/lib/auth/session";
import { phoneTitle } from "@/lib/phone/page-title";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("request");

/**
 * Where the QR leads. Signed out: sign in first, on this same URL, so the
 * ticket is not lost. Signed in: scan it and ask whether to approve.
 */
export default async function ScanPage({
  params,
  searchParams,
}: {
  params: Promise<{ ticketId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ticketId } = await params;
  // The QR's own query (if any) is kept through sign-in.
  const query = new URLSearchParams(
    Object.entries(await searchParams).flatMap(([k, v]) => [v ?? []].flat().map((x) => [k, x])),
  ).toString();
  // The QR's token (it rotates while the computer waits); the scan checks it.
  const token = (await searchParams).t;
  const qrToken = typeof token === "string" ? token : "";
  const user = await currentUser();
  if (!user) {
    const t = await getTranslations("phone.signIn");
    return (
      <section className="card" aria-labelledby="signin-title">
        <h1 id="signin-title">{t("continueTitle")}</h1>
        <p className="muted">{t("continueLead")}</p>
        <PhoneSignIn
          callbackUrl={`/m/scan/${encodeURIComponent(ticketId)}${query ? `?${query}` : ""}`}
        />
      </section>
    );
  }
  return (
    <div className="card">
      <ScanConfirm ticketId={ticketId} userName={user.name} qrToken={qrToken} />
    </div>
  );
}
