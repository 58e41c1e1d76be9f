import Link from "next/link";
import { PhoneSignInForm } from "@/components/phone-sign-in-form";
import { UserCodeForm } from "@/components/user-code-form";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** Type the code shown under the QR instead of scanning it. */
export default async function LinkPage() {
  const user = await currentUser();
  if (!user) {
    return (
      <section className="card" aria-labelledby="link-title">
        <h1 id="link-title">Sign in to enter a code</h1>
        <p className="muted">Sign in on this phone first; then type the code from the computer.</p>
        <PhoneSignInForm />
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="link-title">
      <h1 id="link-title">Enter the code from the computer</h1>
      <p>
        Type the 8 letters shown under the QR code on the computer&apos;s login page. Upper or lower
        case, with or without the dash.
      </p>
      <UserCodeForm />
      <p>
        <Link href="/m">Back to the app</Link>
      </p>
    </section>
  );
}
