import type { Metadata } from "next";
import type { ReactNode } from "react";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "QR login · Phone" };

/**
 * The simulated mobile app: one narrow column, big touch targets. A computer
 * signed in by QR is never an approver (PROTOCOL v2): every /m page tells it
 * to use the phone instead.
 */
export default async function PhoneLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <main className="phone">
      <p className="phone-brand">QR login</p>
      {user?.kind === "computer" ? (
        <section className="card" aria-labelledby="use-phone-title">
          <h1 id="use-phone-title">Open this on your phone</h1>
          <p>
            This computer is signed in as <strong>{user.name}</strong>, but only your phone can
            approve sign-ins or manage your devices. Open the QR login app on the phone you signed
            in with, and scan or approve there.
          </p>
        </section>
      ) : (
        children
      )}
    </main>
  );
}
