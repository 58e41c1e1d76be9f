/**
 * The two next-auth calls the browser makes, as plain fetches: signing in
 * with a credentials provider and signing out. (next-auth/react would add its
 * SessionProvider machinery and ~10 kB to every page for the same requests.)
 */

async function csrfToken(): Promise<string> {
  const res = await fetch("/api/auth/csrf", { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(`csrf: ${res.status}`);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

async function post(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken: await csrfToken(), json: "true" }),
  });
}

/**
 * Signs in through a next-auth credentials provider (`credentials` or `qr`).
 * `error` is next-auth's error text (e.g. "CredentialsSignin", or our
 * "Too many attempts…" when a rate limit refused it); `unavailable` when the
 * service could not reach its store (503, with the Retry-After it asked for).
 * Throws when offline.
 */
export async function credentialsSignIn(
  provider: "credentials" | "qr",
  fields: Record<string, string>,
): Promise<{ ok: boolean; error: string | null; unavailable?: { retryAfterS: number } }> {
  const res = await post(`/api/auth/callback/${provider}`, fields);
  // The store could not be reached (503 in the API's error shape): worth trying again.
  if (res.status === 503) {
    const retryAfterS = Number(res.headers.get("retry-after")) || 1;
    return { ok: false, error: "unavailable", unavailable: { retryAfterS } };
  }
  const { url } = (await res.json().catch(() => ({}))) as { url?: string };
  const error = url ? new URL(url, window.location.href).searchParams.get("error") : "no answer";
  return { ok: res.ok && !error, error };
}

/** Whether this browser now holds a session (next-auth's own session read). */
export async function hasSession(): Promise<boolean> {
  const res = await fetch("/api/auth/session", { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) return false;
  const body = (await res.json().catch(() => null)) as { user?: { id?: string } } | null;
  return Boolean(body?.user?.id);
}

export async function signOut(): Promise<void> {
  const res = await post("/api/auth/signout", {});
  if (!res.ok) throw new Error(`sign-out: ${res.status}`);
}
