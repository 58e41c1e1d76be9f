import "server-only";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { accounts, closeAccounts } from "../accounts";
import { env } from "../env";
import { connectEvents } from "../events";
import { ApiError, errorResponse, rawErrorResponse } from "../http/errors";
import { logPath } from "../http/log-path";
import { ALLOW_ANY } from "../http/methods";
import { PEER_HEADER, peerHeaderValue } from "../http/request-info";
import { logger } from "../log";
import { limitKeyOf } from "../net/network";
import { endProviderSessions } from "../oidc/logout";
import { isOidcPath, serveOidc } from "../oidc/mount";
import { registry } from "../registry";
import { store } from "../store";
import { releaseWaiters } from "../tickets/events";
import { connectionDrain, type Drain } from "./drain";
import { fastApi, send } from "./fast-api";
import { refusal } from "./guard";
import { APP_CSS, requesterHtml } from "./requester-html";
import { staticAssets } from "./static-assets";

/**
 * The one typed seam between server.mjs (the node:http server in front of
 * Next.js) and the app's code. server.mjs loads this module's bundle
 * (`.next/qrl/server.cjs`, built by scripts/build-server.mjs) and calls
 * `start()`; it touches nothing else of the app. The process-wide
 * singletons it shares with Next.js's bundles live in lib/registry.ts.
 */
export interface ServerEntry {
  /** Validated settings (lib/env.ts); a malformed one threw EnvError already. */
  settings: {
    port: number;
    host: string;
    graceMs: number;
    fastStatus: boolean;
    fastApi: boolean;
    dev: boolean;
  };
  /**
   * The HTTP server around Next.js's request handler: refuses malformed
   * requests (guard.ts), sets the peer address, request id and log line,
   * serves the JSON API without Next.js (fast-api.ts), and bounds what one
   * client can hold open.
   */
  createServer(next: RequestHandler): Server;
  /**
   * Opens the database (migrating it, creating demo users when asked) and
   * logs which one; rejects with a one-line reason (e.g. the data folder is
   * another process's) for server.mjs to print before it exits.
   */
  openDatabase(): Promise<void>;
  /**
   * Waits until the store answers and this process's events subscription is
   * live, up to STORE_START_WAIT_MS; resolves false (and says so in the log)
   * when it gave up: the server then listens anyway and answers 503 until the
   * store is back. Called before the server listens.
   */
  openStore(): Promise<boolean>;
  /** Logs the "Ready on …" line once the server listens. */
  listening(server: Server): void;
  /** Graceful stop: answers held long-polls, drains, closes Redis, then exits. */
  shutdown(server: Server, signal: string): Promise<void>;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** The status read and long-poll's path in app/api/routes.ts (QRL_FAST_STATUS). */
const STATUS_PATH = "/api/qr/{ticketId}";
/** How long a starting instance waits for its store before it listens anyway. */
export const STORE_START_WAIT_MS = 10_000;
/** How long a socket accepted just before a drain may take to send its request. */
const FRESH_SOCKET_GRACE_MS = 1_000;
const drains = new WeakMap<Server, Drain>();

/** Throws EnvError (with a one-line message naming the variable) when a setting is malformed. */
export function start({ dev }: { dev: boolean }): ServerEntry {
  const e = env();
  const settings = {
    port: e.PORT,
    host: e.HOST,
    graceMs: e.QRL_SHUTDOWN_GRACE_MS,
    fastStatus: e.QRL_FAST_STATUS && !dev,
    fastApi: e.QRL_FAST_API && !dev,
    dev,
  };
  let stopping = false;
  // A sign-out on this instance ends the provider sessions it made (lib/oidc/logout.ts).
  registry().onSignedOut = endProviderSessions;
  // The device grant's confirm screen shows the QR confirm's warnings and details (S83).
  registry().renderRequester = requesterHtml;
  registry().pageStyle = APP_CSS;

  // The JSON API without Next.js's per-request cost (fast-api.ts); each half can be turned off.
  const serveApi =
    settings.fastStatus || settings.fastApi
      ? fastApi((path, method) =>
          path === STATUS_PATH && method === "GET" ? !settings.fastStatus : !settings.fastApi,
        )
      : null;
  // The build's compressed copies of its scripts and styles (a development server has none).
  const statics = dev ? null : staticAssets(e.NEXT_DIST_DIR);

  const listener =
    (next: RequestHandler): RequestHandler =>
    (req, res) => {
      const started = performance.now();
      const id = randomUUID();
      // The socket's address, which the client cannot choose (any header it sent is replaced).
      req.headers[PEER_HEADER] = peerHeaderValue(req.socket.remoteAddress ?? "");
      req.headers["x-request-id"] = id;
      res.setHeader("X-Request-Id", id);
      if (stopping) res.setHeader("Connection", "close");
      res.once("close", () => logRequest(req, res, id, started));
      const refused = refusal(req);
      if (refused) return answer(req, res, refused);
      if (statics) return statics(req, res, () => dispatch(next, req, res, id));
      return dispatch(next, req, res, id);
    };

  /** Past the guard: the identity provider, the API's fast path, or Next.js. */
  const dispatch = (
    next: RequestHandler,
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
  ) => {
    // The OpenID Provider (lib/oidc): its own routes, outside Next.js.
    if (isOidcPath(req.url ?? "")) return serveOidc(req, res);
    if (!serveApi) return next(req, res);
    return serveApi(req, res).then(
      (served): unknown => served || next(req, res),
      (error: unknown): unknown => {
        // The route answers its own failures; this is a bug in the seam itself.
        logger().error({ req: id, err: error }, "fast path failed");
        if (res.headersSent) return res.destroy();
        return send(res, errorResponse(new ApiError("internal_error")));
      },
    );
  };

  function create(next: RequestHandler): Server {
    const server = createServer(
      // A client that has not sent its headers within QRL_HEADERS_TIMEOUT_MS (20 s) is
      // dropped (checked every second). requestTimeout keeps Node's default, 300 s: a
      // lower one would also cut held long-polls.
      { headersTimeout: e.QRL_HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
      listener(next),
    );
    server.keepAliveTimeout = 65_000;
    // A request Node's parser refuses (unknown method, malformed line or headers) never
    // reaches the listener: it gets the API's error shape here, not an empty 400.
    server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const code =
        error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "request_timeout"
          : error.code === "HPE_HEADER_OVERFLOW"
            ? "headers_too_large"
            : "invalid_request";
      socket.end(rawErrorResponse(new ApiError(code)));
    });
    // CONNECT never reaches the request listener either.
    server.on("connect", (_req, socket) => {
      socket.end(
        rawErrorResponse(new ApiError("method_not_allowed", undefined, { Allow: ALLOW_ANY })),
      );
    });
    // Behind a proxy every socket is the proxy's: the per-address limit would cap the proxy.
    const cap = e.TRUST_PROXY > 0 ? 0 : e.QRL_MAX_SOCKETS_PER_IP;
    if (cap > 0) limitSocketsPerAddress(server, cap);
    drains.set(server, connectionDrain(server));
    return server;
  }

  async function shutdown(server: Server, signal: string) {
    if (stopping) return;
    stopping = true;
    const log = logger();
    log.info({ signal }, "Shutting down: answering held long-polls, draining requests");
    const force = setTimeout(() => {
      log.warn(
        { graceMs: settings.graceMs },
        "Grace period over: exiting with requests still open",
      );
      process.exit(1);
    }, settings.graceMs);
    force.unref();
    // Held long-polls answer now (the page polls again, through the proxy, elsewhere);
    // sockets close as their requests end, none reset under a request on its way (drain.ts).
    releaseWaiters();
    const drain = drains.get(server);
    if (drain) await drain.drain(FRESH_SOCKET_GRACE_MS);
    else await new Promise((resolve) => server.close(resolve));
    // Webhooks not yet delivered stay queued (Redis, or the database without it) for the next worker.
    await registry()
      .webhooks?.close()
      .catch(() => {});
    await registry()
      .redis?.quit()
      .catch(() => {});
    await closeAccounts().catch((err) => log.warn({ err }, "the database did not close cleanly"));
    log.info("Stopped");
    process.exit(0);
  }

  function listening(server: Server) {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.port;
    const shown = settings.host === "0.0.0.0" ? "localhost" : settings.host;
    logger().info(settings, `Ready on http://${shown}:${port}`);
  }

  const openDatabase = async () => {
    await accounts();
  };

  // A just-started instance gets its first requests the moment it accepts (a proxy sends them
  // at once): made before listening, the store's connections are not still being made under
  // them (a command waits for its connection only within the store deadline: a 503), and no
  // event published meanwhile goes unheard.
  const openStore = async () => {
    const until = Date.now() + STORE_START_WAIT_MS;
    for (;;) {
      try {
        await store().ping();
        // The subscriber's connection is made now: it may take what is left of the wait.
        await connectEvents(Math.max(until - Date.now(), 1));
        return true;
      } catch (error) {
        if (Date.now() >= until) {
          logger().warn(
            { err: error instanceof Error ? error.message : String(error) },
            "The store does not answer yet: listening anyway (store requests answer 503 until it does)",
          );
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  return { settings, createServer: create, openDatabase, openStore, listening, shutdown };
}

/** One line per request: id, method, route (ids replaced), status, milliseconds. */
function logRequest(req: IncomingMessage, res: ServerResponse, id: string, started: number) {
  const route = logPath(req.url ?? "/");
  const line = {
    req: id,
    method: req.method,
    route,
    status: res.statusCode,
    ms: Math.round((performance.now() - started) * 10) / 10,
    ...(res.writableFinished ? {} : { aborted: true }),
  };
  if (route.startsWith("/_next/")) logger().debug(line);
  else logger().info(line);
}

/** A refused request: the error shape on /api/*, a plain page elsewhere. */
function answer(req: IncomingMessage, res: ServerResponse, error: ApiError) {
  res.setHeader("Connection", "close");
  if ((req.url ?? "").startsWith("/api/")) return send(res, errorResponse(error));
  const body = `${error.status} ${error.message}\n`;
  return send(
    res,
    new Response(body, {
      status: error.status,
      headers: { "Content-Type": "text/plain; charset=utf-8", ...error.headers },
    }),
  );
}

/** Closes each new connection past `cap` open ones from the same address. */
function limitSocketsPerAddress(server: Server, cap: number) {
  const open = new Map<string, number>();
  server.on("connection", (socket) => {
    const address = limitKeyOf(socket.remoteAddress ?? "");
    const count = (open.get(address) ?? 0) + 1;
    if (count > cap) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
