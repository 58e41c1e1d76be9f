import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { clientIp } from "../http/request-info";
import { logger } from "../log";
import { guardSignIn } from "../rate-limit";
import { signOutWebSession } from "../sessions/sign-out";
import { users } from "../users";
import { claimFromRequest } from "./claim";
import { tokenStillValid } from "./token-valid";

/** Thrown by the jwt callback for a signed-out web session: next-auth then drops the cookie. */
class WebSessionEnded extends Error {
  override name = "WebSessionEnded";
}

/**
 * next-auth configuration. Two credentials providers:
 * - `credentials`: the phone browser signs in with username and password;
 * - `qr`: the desktop claims a confirmed ticket (exactly once) for a session.
 * Sessions are JWTs in an HttpOnly cookie with an explicit max age. A QR
 * session's JWT carries the id of its record in the store (`sid`); every
 * session read checks the record, so a computer signed out from the phone
 * loses its session at its next request.
 */
export function authOptions(): NextAuthOptions {
  const e = env();
  return {
    secret: e.authSecret,
    useSecureCookies: e.secureCookies,
    session: { strategy: "jwt", maxAge: e.SESSION_MAX_AGE_S },
    jwt: { maxAge: e.SESSION_MAX_AGE_S },
    pages: { signIn: "/m" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Password",
        credentials: { username: { type: "text" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const username = typeof credentials?.username === "string" ? credentials.username : "";
          const password = typeof credentials?.password === "string" ? credentials.password : "";
          if (!username || !password || username.length > 200 || password.length > 200) return null;
          const ip = clientIp(new Headers(req.headers ?? {}));
          const user = await guardSignIn(username, ip, () => users().verify(username, password));
          return user ? { id: user.id, name: user.displayName } : null;
        },
      }),
      CredentialsProvider({
        id: "qr",
        name: "QR code",
        credentials: { ticketId: { type: "text" } },
        async authorize(credentials, req) {
          const user = await claimFromRequest(
            credentials?.ticketId,
            new Headers(req.headers ?? {}),
          );
          return user ? { id: user.id, name: user.displayName, sid: user.sessionId } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user, account }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
          token.via = account?.provider === "qr" ? "qr" : "password";
          token.authTime = Math.floor(Date.now() / 1000);
          if (user.sid) token.sid = user.sid;
        } else if (!(await tokenStillValid(token))) {
          throw new WebSessionEnded();
        }
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", name: token.name ?? "" };
        return session;
      },
    },
    events: {
      // The computer signed itself out: its record goes, and the history says so.
      async signOut({ token }) {
        if (!token?.sid || !token.sub) return;
        // Best effort: the cookie goes either way; an unreachable store only loses the history line.
        await signOutWebSession(token.sub, token.sid, { by: "computer", ip: "unknown" }).catch(
          (error: unknown) => logger().warn({ err: String(error) }, "web session record kept"),
        );
      },
    },
    logger: {
      error(code, metadata) {
        const error =
          metadata instanceof Error
            ? metadata
            : (metadata as { error?: unknown } | undefined)?.error;
        if (error instanceof Error && error.name === "WebSessionEnded") {
          logger().info({ auth: "web_session_ended" }, "refused a signed-out web session");
          return;
        }
        logger().error({ code, err: error ?? metadata }, "next-auth error");
      },
    },
  };
}
