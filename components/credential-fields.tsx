/**
 * The username and password fields of every password form (the phone's
 * sign-in, the desktop's /login fallback): one markup, so the two cannot
 * drift apart. A plain component without hooks: the server renders it in
 * the desktop's form, the phone's client form renders it in the browser.
 * After a refusal the typed username stays and focus goes where the person
 * types next (without JavaScript only autofocus can put it there).
 */
export function CredentialFields({
  labels,
  problemId,
  username,
}: {
  labels: { username: string; password: string };
  /** The id of the element saying what went wrong, when something did. */
  problemId?: string;
  /** After a refusal: the username that was typed (only the password is typed again). */
  username?: string;
}) {
  return (
    <>
      <label htmlFor="username">{labels.username}</label>
      <input
        id="username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={200}
        defaultValue={username}
        aria-describedby={problemId}
        // biome-ignore lint/a11y/noAutofocus: a refused plain POST comes back as a new page; without JavaScript only autofocus puts focus where the person types next
        autoFocus={!!problemId && !username}
      />
      <label htmlFor="password">{labels.password}</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={200}
        aria-describedby={problemId}
        // biome-ignore lint/a11y/noAutofocus: as above, the password after a refusal with the username kept
        autoFocus={!!problemId && !!username}
      />
    </>
  );
}
