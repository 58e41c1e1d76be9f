import Link from "next/link";

export default function Home() {
  return (
    <main style={{ padding: 32 }}>
      <h1>QR login</h1>
      <Link href="/login">Sign in</Link>
    </main>
  );
}
