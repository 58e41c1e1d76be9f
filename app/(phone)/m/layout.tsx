import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "QR login · Phone" };

/** The simulated mobile app: one narrow column, big touch targets. */
export default function PhoneLayout({ children }: { children: ReactNode }) {
  return (
    <main className="phone">
      <p className="phone-brand">QR login</p>
      {children}
    </main>
  );
}
