"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { credentialsSignIn } from "./auth-client";
import { Button } from "./ui/button";

/**
 * Username and password for the phone (next-auth `credentials`). On success
 * the current page re-renders signed in, so a ticket being scanned is kept.
 */
export function PhoneSignInForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const result = await credentialsSignIn("credentials", {
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      if (result.ok) {
        router.refresh();
        return;
      }
      setError(
        result.error?.startsWith("Too many attempts")
          ? "Too many attempts. Wait a while, then try again."
          : "Wrong username or password. Check them and try again.",
      );
    } catch {
      setError("Can't reach the server. Check your internet connection and try again.");
    }
    setBusy(false);
  }

  return (
    <form className="form" onSubmit={onSubmit}>
      <label htmlFor="username">Username</label>
      <input id="username" name="username" autoComplete="username" autoCapitalize="none" required />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      {error ? (
        <p role="alert" className="status-error">
          {error}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
