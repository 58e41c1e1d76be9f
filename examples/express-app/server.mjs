// An ordinary web app that signs its users in with QR login, as it would
// with Keycloak or Auth0: OpenID Connect's authorization code flow with
// PKCE, through openid-client (which checks discovery and the ID token's
// signature, issuer, audience and nonce). Nothing here knows about QR codes.
//
//   ISSUER=http://localhost:3000/oidc CLIENT_ID=example CLIENT_SECRET=… node server.mjs
import { randomBytes } from "node:crypto";
import express from "express";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oidc from "openid-client";

const {
  ISSUER = "http://localhost:3000/oidc",
  CLIENT_ID = "example",
  CLIENT_SECRET,
  PORT = "4000",
  APP_URL = `http://localhost:${PORT}`,
  APP_NAME = "ExampleApp",
} = process.env;

// Discovery: the provider's endpoints and keys. Plain http only on a developer's machine.
const insecure = new URL(ISSUER).protocol === "http:";
const config = await oidc.discovery(
  new URL(ISSUER),
  CLIENT_ID,
  CLIENT_SECRET,
  undefined,
  insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
);
const redirectUri = `${APP_URL}/callback`;

// The app's own sessions: an id in an HttpOnly cookie, the rest in memory.
const sessions = new Map();
const sessionOf = (req, res) => {
  const id = /(?:^|;\s*)app_session=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
  if (id && sessions.has(id)) return sessions.get(id);
  const fresh = randomBytes(16).toString("base64url");
  const session = {};
  sessions.set(fresh, session);
  res.cookie("app_session", fresh, { httpOnly: true, sameSite: "lax", path: "/" });
  return session;
};
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${APP_NAME}</title></head><body><h1>${APP_NAME}</h1>${body}</body></html>`;

const app = express();

app.get("/", (req, res) => {
  const { user } = sessionOf(req, res);
  res.send(
    page(
      user
        ? `<p>Signed in as ${escapeHtml(user.name)} (${escapeHtml(user.preferred_username)})</p><p><a href="/logout">Sign out</a></p>`
        : `<p>You are not signed in.</p><p><a href="/login">Sign in with QR login</a></p>`,
    ),
  );
});

app.get("/login", async (req, res) => {
  const session = sessionOf(req, res);
  session.verifier = oidc.randomPKCECodeVerifier();
  session.state = oidc.randomState();
  session.nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(session.verifier),
    code_challenge_method: "S256",
    state: session.state,
    nonce: session.nonce,
  });
  res.redirect(url.href);
});

app.get("/callback", async (req, res) => {
  const session = sessionOf(req, res);
  try {
    const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, APP_URL), {
      pkceCodeVerifier: session.verifier,
      expectedState: session.state,
      expectedNonce: session.nonce,
    });
    // The ID token's claims, verified by openid-client.
    const claims = tokens.claims();
    session.user = {
      sub: claims.sub,
      name: claims.name,
      preferred_username: claims.preferred_username,
      sid: claims.sid,
    };
    session.idToken = tokens.id_token;
    res.redirect("/");
  } catch (error) {
    res
      .status(400)
      .send(
        page(
          `<p role="alert">Sign-in failed: ${escapeHtml(error.message)}</p><p><a href="/login">Try again</a></p>`,
        ),
      );
  } finally {
    delete session.verifier;
    delete session.state;
    delete session.nonce;
  }
});

// RP-initiated logout: the provider ends its session and comes back here.
app.get("/logout", (req, res) => {
  const session = sessionOf(req, res);
  const idToken = session.idToken;
  delete session.user;
  delete session.idToken;
  if (!idToken) return res.redirect("/");
  res.redirect(
    oidc.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: `${APP_URL}/`,
    }).href,
  );
});

// OIDC back-channel logout: the provider posts a signed logout token when the person is signed
// out there (e.g. from their phone); every session of this app with that sid (or sub) ends.
const keys = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
app.post(
  "/backchannel-logout",
  express.urlencoded({ extended: false, limit: "8kb" }),
  async (req, res) => {
    try {
      const { payload } = await jwtVerify(String(req.body?.logout_token ?? ""), keys, {
        issuer: config.serverMetadata().issuer,
        audience: CLIENT_ID,
        typ: "logout+jwt",
        maxTokenAge: "2 minutes",
      });
      if (
        !payload.events?.["http://schemas.openid.net/event/backchannel-logout"] ||
        "nonce" in payload
      ) {
        throw new Error("not a logout token");
      }
      for (const session of sessions.values()) {
        const user = session.user;
        if (user && (payload.sid ? user.sid === payload.sid : user.sub === payload.sub)) {
          delete session.user;
          delete session.idToken;
        }
      }
      res.set("Cache-Control", "no-store").status(200).end();
    } catch {
      res.status(400).json({ error: "invalid_request" });
    }
  },
);

app.listen(Number(PORT), () => console.log(`${APP_NAME} on ${APP_URL} (issuer ${ISSUER})`));
