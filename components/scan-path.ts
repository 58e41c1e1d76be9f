/**
 * The page a scanned QR opens in this app: the path of a login QR (`/m/scan/<id>`,
 * with its query, e.g. a rotating token), or null for any other text. The
 * QR may name another host for this site (the LAN address a phone reaches);
 * the path is opened on the origin this app runs on.
 */
export function scanPathOf(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (!/^\/m\/scan\/[A-Za-z0-9_-]{1,64}$/.test(url.pathname)) return null;
  return `${url.pathname}${url.search}`;
}
