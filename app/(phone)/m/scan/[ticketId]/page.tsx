import { PhoneSignInForm } from "@/components/phone-sign-in-form";
import { ScanConfirm } from "@/components/scan-confirm";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/**
 * Where the QR leads. Signed out: sign in first, on this same URL, so the
 * ticket is not lost. Signed in: scan it and ask whether to approve.
 */
export default async function ScanPage({
  params,
  searchParams,
}: {
  params: Promise<{ ticketId: string }>;
  searchParams: Promise<{ t?: string | string[] }>;
}) {
  const { ticketId } = await params;
  // The QR's token (it rotates while the computer waits); the scan checks it.
  const { t } = await searchParams;
  const qrToken = typeof t === "string" ? t : "";
  const user = await currentUser();
  if (!user) {
    return (
      <section className="card" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to continue</h1>
        <p className="muted">
          A computer is asking to sign in with this phone. Sign in here first; you&apos;ll see the
          request next.
        </p>
        <PhoneSignInForm />
      </section>
    );
  }
  return (
    <div className="card">
      <ScanConfirm ticketId={ticketId} userName={user.name} qrToken={qrToken} />
    </div>
  );
}
