import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { NeverApproveNote } from "@/components/never-approve-note";
import { PhoneSignInForm } from "@/components/phone-sign-in-form";
import { SignInNotices } from "@/components/sign-in-notices";
import { SignOutButton } from "@/components/sign-out-button";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** The phone app's home: sign in, then scan login QR codes with the camera. */
export default async function PhoneHome() {
  const user = await currentUser();
  const t = await getTranslations("passkeys");
  if (!user) {
    return (
      <section className="card" aria-labelledby="phone-title">
        <h1 id="phone-title">Sign in on your phone</h1>
        <p className="muted">Then scan the QR code on a computer to sign in there too.</p>
        <PhoneSignInForm />
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="phone-title">
      <h1 id="phone-title">Scan a QR code with your camera</h1>
      <SignInNotices />
      <p>
        Point your phone&apos;s camera at the QR code on the computer&apos;s login page and open the
        link it shows.
      </p>
      <NeverApproveNote />
      <nav aria-label="Phone app">
        <ul>
          <li>
            <Link href="/m/link">Can&apos;t scan? Type the code instead</Link>
          </li>
          <li>
            <Link href="/m/sessions">Your devices</Link>
          </li>
          <li>
            <Link href="/m/activity">Security history</Link>
          </li>
          <li>
            <Link href="/m/security">{t("homeLink")}</Link>
          </li>
        </ul>
      </nav>
      <p>
        Signed in as <strong>{user.name}</strong>
      </p>
      <SignOutButton />
    </section>
  );
}
