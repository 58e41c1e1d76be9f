import type { Metadata } from "next";
import { QrLogin } from "@/components/qr-login";

export const metadata: Metadata = { title: "Sign in · QR login" };

/** Only a same-origin relative path may be a post-login destination (no open redirect). */
function safeCallbackUrl(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url?.startsWith("/") || url.startsWith("//")) return "/";
  // Browsers drop tabs and newlines and read a backslash as "/": "/\t/evil.example" is "//evil.example".
  if ([...url].some((c) => c < " " || c === "\x7f" || c === "\\")) return "/";
  const base = "http://same-origin.invalid";
  return new URL(url, base).origin === base ? url : "/";
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { callbackUrl } = await searchParams;
  return (
    <main className="page">
      <QrLogin callbackUrl={safeCallbackUrl(callbackUrl)} />
    </main>
  );
}
