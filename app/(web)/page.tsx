import Link from "next/link";
import { SignOutButton } from "@/components/sign-out-button";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await currentUser();
  return (
    <main className="page">
      <section className="card" aria-labelledby="home-title">
        <h1 id="home-title">QR login</h1>
        {user ? (
          <>
            <p>
              Signed in as <strong>{user.name}</strong>
            </p>
            <SignOutButton />
          </>
        ) : (
          <>
            <p>You are not signed in.</p>
            <Link className="btn btn-primary" href="/login">
              Sign in with your phone
            </Link>
          </>
        )}
      </section>
    </main>
  );
}
