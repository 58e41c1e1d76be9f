import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { env } from "../env";
import { ApiError, errorResponse } from "../http/errors";
import { PEER_HEADER } from "../http/request-info";
import { logger, logPath } from "../log";
import { registry } from "../registry";
import { releaseWaiters } from "../tickets/events";
import { send, serveStatus } from "./fast-status";

/**
 * The one typed seam between server.mjs (the node:http server in front of
 * Next.js) and the app's code. server.mjs loads this module's bundle
 * (`.next/qrl/server.cjs`, built by scripts/build-server.mjs) and calls
 * `start()`; it touches nothing else of the app. The process-wide
 * singletons it shares with Next.js's bundles live in lib/registry.ts.
 */
export interface ServerEntry {
  /** Validated settings (lib/env.ts); a malformed one threw EnvError already. */
  settings: { port: number; host: string; graceMs: number; fastStatus: boolean; dev: boolean };
  /** Wraps Next.js's request handler: peer address, request id, log line, status fast path. */
  listener(next: RequestHandler): RequestHandler;
  /** Logs the "Ready on …" line once the server listens. */
  listening(server: Server): void;
  /** Graceful stop: answers held long-polls, drains, closes Redis, then exits. */
  shutdown(server: Server, signal: string): Promise<void>;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Throws EnvError (with a one-line message naming the variable) when a setting is malformed. */
export function start({ dev }: { dev: boolean }): ServerEntry {
  const e = env();
  const settings = {
    port: e.PORT,
    host: e.HOST,
    graceMs: e.QRL_SHUTDOWN_GRACE_MS,
    fastStatus: e.QRL_FAST_STATUS && !dev,
    dev,
  };
  let stopping = false;

  const listener =
    (next: RequestHandler): RequestHandler =>
    (req, res) => {
      const started = performance.now();
      const id = randomUUID();
      // The socket's address, which the client cannot choose (any header it sent is replaced).
      req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
      req.headers["x-request-id"] = id;
      res.setHeader("X-Request-Id", id);
      if (stopping) res.setHeader("Connection", "close");
      res.once("close", () => logRequest(req, res, id, started));
      if (!settings.fastStatus) return next(req, res);
      return serveStatus(req, res).then(
        (served): unknown => served || next(req, res),
        (error: unknown): unknown => {
          // The route answers its own failures; this is a bug in the seam itself.
          logger().error({ req: id, err: error }, "fast path failed");
          if (res.headersSent) return res.destroy();
          return send(res, errorResponse(new ApiError("internal_error")));
        },
      );
    };

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
    const closed = new Promise((resolve) => server.close(resolve));
    releaseWaiters();
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    await closed;
    clearInterval(idle);
    await registry()
      .redis?.quit()
      .catch(() => {});
    log.info("Stopped");
    process.exit(0);
  }

  function listening(server: Server) {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.port;
    const shown = settings.host === "0.0.0.0" ? "localhost" : settings.host;
    logger().info(settings, `Ready on http://${shown}:${port}`);
  }

  return { settings, listener, listening, shutdown };
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
