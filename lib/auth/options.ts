import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import type { ApiError } from "../http/errors";
import { toApiError } from "../http/handler";
import { clientIp } from "../http/request-info";
import { logger } from "../log";
import { guardSignIn } from "../rate-limit";
import {
  createPasswordComputerSession,
  createPhoneSession,
  passwordComputerSession,
  type SessionRecord,
} from "../sessions/records";
import { idempotencyKeyOf, sessionIdForSignIn } from "../sessions/sign-in-once";
import { signOutSession } from "../sessions/sign-out";
import { users } from "../users";
import { claimFromRequest } from "./claim";
import { sessionRefOf, tokenStillValid } from "./token-valid";

/** Thrown by the jwt callback for a signed-out session: next-auth then drops the cookie. */
class SessionEnded extends Error {
  override name = "SessionEnded";
}

/**
 * An authorize step whose failures next-auth may show: next-auth puts a thrown
 * error's message into the error URL it sends the browser, so every failure
 * becomes the API's own words (ours for a rate limit, the generic ones for a
 * store outage or a bug, which are logged), never a store's error text.
 */
function safely<A extends unknown[], R>(
  provider: string,
  hooks: AuthHooks,
  authorize: (...args: A) => Promise<R>,
) {
  return async (...args: A): Promise<R> => {
    try {
      return await authorize(...args);
    } catch (error) {
      const apiError = toApiError(error, `/api/auth/callback/${provider}`);
      if (apiError.code === "store_unavailable") hooks.storeFailed?.(apiError);
      throw apiError;
    }
  };
}

/**
 * Username and password, under the sign-in limits (per user and address, per
 * address): a phone session from /m, a computer session from /login.
 */
async function passwordSignIn(
  kind: "phone" | "computer",
  credentials: Record<string, unknown> | undefined,
  rawHeaders: Record<string, unknown> | undefined,
  hooks: AuthHooks,
) {
  const username = typeof credentials?.username === "string" ? credentials.username : "";
  const password = typeof credentials?.password === "string" ? credentials.password : "";
  if (!username || !password || username.length > 200 || password.length > 200) return null;
  const headers = new Headers((rawHeaders ?? {}) as Record<string, string>);
  const ip = clientIp(headers);
  const user = await guardSignIn(username, ip, () => users().verify(username, password));
  if (!user) return null;
  const client = { userAgent: headers.get("user-agent") ?? "", ip };
  let session: SessionRecord;
  if (kind === "phone") {
    // A resent sign-in (same form, same key) signs in to the session its first try made.
    const key = idempotencyKeyOf(credentials?.idempotencyKey);
    const id = await sessionIdForSignIn(user.id, key);
    session = await createPhoneSession(user.id, "password", client, undefined, { id });
  } else if (hooks.holdComputerSession) {
    session = passwordComputerSession(user.id, client);
    hooks.holdComputerSession(session);
  } else session = await createPasswordComputerSession(user.id, client);
  return { id: user.id, name: user.displayName, sid: session.id, kind };
}

/** A username-and-password provider making a `kind` session (passwordSignIn). */
const passwordProvider = (id: string, name: string, kind: "phone" | "computer", hooks: AuthHooks) =>
  CredentialsProvider({
    id,
    name,
    credentials: { username: { type: "text" }, password: { type: "password" } },
    authorize: safely(id, hooks, (credentials, req) =>
      passwordSignIn(kind, credentials, req.headers, hooks),
    ),
  });

/** Per-request hooks of the app's own routes around next-auth. */
export interface AuthHooks {
  /**
   * The desktop password form's route: the `computer` provider hands it the
   * session's record unwritten; the route writes it only once its answer
   * (the cookie, the redirect) is ready, so a failure on the way records no
   * session and lists no "New sign-in".
   */
  holdComputerSession?: (record: SessionRecord) => void;
  /**
   * A sign-in could not reach the store (an outage, a stall past the deadline):
   * the route answers 503 with Retry-After, so the page knows to retry rather
   * than reading next-auth's refusal.
   */
  storeFailed?: (error: ApiError) => void;
  /** next-auth's sign-out could not end the session's record (the store is unreachable). */
  signOutFailed?: (error: unknown) => void;
}

/**
 * next-auth configuration. Three credentials providers:
 * - `credentials`: the phone browser signs in with username and password (a phone session);
 * - `computer`: the desktop signs in with username and password on /login (a computer session);
 * - `qr`: the desktop claims a confirmed ticket (exactly once) for a computer session.
 * Sessions are JWTs in an HttpOnly cookie with an explicit max age. Every JWT
 * carries the id and kind of its record in the session registry; every
 * session read checks the record, so a session signed out from the phone (or
 * anywhere) loses its cookie at its next request.
 */
export function authOptions(hooks: AuthHooks = {}): NextAuthOptions {
  const e = env();
  return {
    secret: e.authSecret,
    useSecureCookies: e.secureCookies,
    session: { strategy: "jwt", maxAge: e.SESSION_MAX_AGE_S },
    jwt: { maxAge: e.SESSION_MAX_AGE_S },
    // next-auth's own HTML pages are never shown: every one of them leads to the phone app.
    pages: { signIn: "/m", signOut: "/m", error: "/m", verifyRequest: "/m", newUser: "/m" },
    providers: [
      passwordProvider("credentials", "Password", "phone", hooks),
      // The desktop's own password form on /login: a computer session, with the phone's limits.
      passwordProvider("computer", "Password on a computer", "computer", hooks),
      CredentialsProvider({
        id: "qr",
        name: "QR code",
        credentials: { ticketId: { type: "text" }, continueAs: { type: "text" } },
        authorize: safely("qr", hooks, async (credentials, req) => {
          const claimed = await claimFromRequest(
            credentials?.ticketId,
            new Headers(req.headers ?? {}),
            credentials?.continueAs,
          );
          if (!claimed) return null;
          const { user, session } = claimed;
          return {
            id: user.id,
            name: user.displayName,
            sid: session.id,
            kind: "computer",
            tid: session.ticketId,
            appr: session.approvedBy,
          };
        }),
      }),
    ],
    callbacks: {
      /** Only ever to this site: a malformed or foreign callbackUrl goes to the home page. */
      redirect({ url, baseUrl }) {
        try {
          const target = new URL(url, baseUrl);
          return target.origin === new URL(baseUrl).origin ? target.href : baseUrl;
        } catch {
          return baseUrl;
        }
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
          token.authTime = Math.floor(Date.now() / 1000);
          token.sid = user.sid;
          token.kind = user.kind;
          token.tid = user.tid;
          token.appr = user.appr;
        } else if (!(await tokenStillValid(token))) {
          throw new SessionEnded();
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.sub ?? "",
          name: token.name ?? "",
          kind: token.kind ?? "computer",
          sid: token.sid ?? "",
        };
        return session;
      },
    },
    events: {
      // The browser signed itself out: its record goes (a phone's with its computers).
      async signOut({ token }) {
        const ref = token ? sessionRefOf(token) : null;
        if (!ref) return;
        // Not ended (the store is unreachable): the route answers 503 and keeps the cookie,
        // so nothing claims a sign-out that would come undone when the store is back.
        await signOutSession(ref.userId, ref.sid, { by: ref.kind, ip: "unknown" }).catch(
          (error: unknown) => {
            logger().warn({ err: String(error) }, "session record kept");
            hooks.signOutFailed?.(error);
          },
        );
      },
    },
    logger: {
      error(code, metadata) {
        const error =
          metadata instanceof Error
            ? metadata
            : (metadata as { error?: unknown } | undefined)?.error;
        if (error instanceof Error && error.name === "SessionEnded") {
          logger().info({ auth: "session_ended" }, "refused a signed-out session");
          return;
        }
        logger().error({ code, err: error ?? metadata }, "next-auth error");
      },
    },
  };
}
