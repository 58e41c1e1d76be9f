import "server-only";
import { env } from "../env";

/** Who the passkeys belong to (WebAuthn's relying party): this site's public origin. */
export interface RelyingParty {
  /** The registrable domain passkeys are scoped to (the public URL's host name). */
  id: string;
  /** The exact origin the phone's pages are served from; assertions from any other are refused. */
  origin: string;
  name: string;
}

/**
 * From PUBLIC_URL (or NEXTAUTH_URL): the origin phones open. Without either
 * (development only), the origin the request came to, so `npm run dev` on
 * localhost works; WebAuthn itself refuses IP addresses as an rpID, so open
 * the phone pages on a host name (localhost, or your domain).
 */
export function relyingParty(headers: Headers): RelyingParty {
  const e = env();
  const configured = e.PUBLIC_URL ?? e.NEXTAUTH_URL;
  const origin = configured
    ? new URL(configured).origin
    : `${e.secureCookies ? "https" : "http"}://${headers.get("host") ?? "localhost"}`;
  return { id: new URL(origin).hostname, origin, name: "QR login" };
}
