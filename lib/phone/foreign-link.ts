import "server-only";
import { env } from "../env";

/**
 * Whether a navigation to a scan page was started by another site: a link on
 * someone else's page must not scan (the desktop would learn who the person
 * is without a tap). `Sec-Fetch-Site` says it where the browser sends it:
 * `cross-site`, and `same-site` too (another origin under the same domain is
 * still another party). A browser without it: a `Referer` from another
 * origin. What scans at once: a phone's camera app or a typed address
 * (`none`, no Referer), the in-app scanner and the typed code (`same-origin`).
 */
export function isForeignNavigation(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  const referer = headers.get("referer");
  if (!referer) return false;
  let from: URL;
  try {
    from = new URL(referer);
  } catch {
    return true;
  }
  return !ownHosts(headers).has(from.host);
}

/** This site's hosts: the one the request was sent to, and the configured public ones. */
function ownHosts(headers: Headers): Set<string> {
  const e = env();
  const hosts = new Set<string>();
  const host = headers.get("host");
  if (host) hosts.add(host);
  for (const url of [e.PUBLIC_URL, e.NEXTAUTH_URL]) if (url) hosts.add(new URL(url).host);
  return hosts;
}
