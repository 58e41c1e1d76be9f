import "server-only";
import type { IncomingMessage } from "node:http";
import { getToken, type JWT } from "next-auth/jwt";
import { tokenStillValid } from "../auth/token-valid";
import { env } from "../env";
import { parseCookies } from "../http/cookies";

/** The browser's session on this site (computer or phone), when it is still signed in. */
export async function signedIn(req: IncomingMessage): Promise<JWT | null> {
  const e = env();
  const cookies = parseCookies(
    new Headers(req.headers.cookie ? { cookie: req.headers.cookie } : {}),
  );
  const token = await getToken({
    req: { cookies: Object.fromEntries(cookies), headers: {} } as never,
    secret: e.authSecret,
    secureCookie: e.secureCookies,
  });
  return token && (await tokenStillValid(token)) ? token : null;
}
