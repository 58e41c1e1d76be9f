import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { clientIp } from "../http/request-info";
import { guardSignIn } from "../rate-limit";
import { users } from "../users";
import { claimFromRequest } from "./claim";

/**
 * next-auth configuration. Two credentials providers:
 * - `credentials`: the phone browser signs in with username and password;
 * - `qr`: the desktop claims a confirmed ticket (exactly once) for a session.
 * Sessions are JWTs in an HttpOnly cookie with an explicit max age.
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
          return user ? { id: user.id, name: user.displayName } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user, account }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
          token.via = account?.provider === "qr" ? "qr" : "password";
        }
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", name: token.name ?? "" };
        return session;
      },
    },
  };
}
