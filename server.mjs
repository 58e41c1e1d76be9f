// The app's HTTP server: Next.js's request handler behind a plain node:http
// server. It does what a route cannot:
// - passes the socket's address to the app (X-Forwarded-For can be forged by
//   any client; the socket cannot), as the `x-qrl-peer` header;
// - logs one JSON line per request (request id, method, route, status, ms),
//   with ticket ids in paths replaced by `:ticketId`;
// - serves the status long-poll (GET /api/qr/{id}) itself, with the same
//   code as the Next.js route (lib/fast-path.ts, bundled by `npm run build`),
//   because Next.js's per-request cost is ~30× the status logic and every
//   waiting desktop re-polls every 25 s; QRL_FAST_STATUS=false turns it off;
// - shuts down gracefully on SIGTERM: stops accepting, answers held
//   long-polls at once with the current state (the desktop re-polls another
//   instance), closes Redis, and exits within QRL_SHUTDOWN_GRACE_MS.
// Used by `npm start`, `npm run demo` and the tests.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import next from "next";
import pino from "pino";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
const graceMs = Number(process.env.QRL_SHUTDOWN_GRACE_MS || 10_000);
const log = pino({
  level: process.env.LOG_LEVEL || "info",
  ...(dev ? { transport: { target: "pino-pretty" } } : {}),
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
});

const fastPathFile = `${process.env.NEXT_DIST_DIR || ".next"}/qrl/fast-path.cjs`;
const fastPath =
  !dev && process.env.QRL_FAST_STATUS !== "false" && existsSync(fastPathFile)
    ? createRequire(import.meta.url)(`./${fastPathFile}`)
    : null;

const app = next({ dev, hostname: host === "0.0.0.0" ? "localhost" : host, port });
const handle = app.getRequestHandler();
await app.prepare();

// A ticket id in a path is a capability: logs show the route, never the id.
const routeOf = (url = "/") =>
  url.split("?")[0].replace(/\/[A-Za-z0-9_-]{24}(?=\/|$)/g, "/:ticketId");

let stopping = false;

const server = createServer((req, res) => {
  const started = performance.now();
  const id = randomUUID();
  req.headers["x-qrl-peer"] = req.socket.remoteAddress ?? "";
  req.headers["x-request-id"] = id;
  res.setHeader("X-Request-Id", id);
  if (stopping) res.setHeader("Connection", "close");
  res.once("close", () => {
    const route = routeOf(req.url);
    const line = {
      req: id,
      method: req.method,
      route,
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    if (route.startsWith("/_next/")) log.debug(line);
    else log.info(line);
  });
  if (!fastPath) return handle(req, res);
  fastPath.handleStatus(req, res).then(
    (served) => served || handle(req, res),
    (error) => {
      log.error({ req: id, err: String(error) }, "fast path failed");
      if (res.headersSent) return res.destroy();
      res.writeHead(500, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(
        '{"error":{"code":"internal_error","message":"Something went wrong on our side. Try again."}}',
      );
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  log.info(
    { port, host, dev, fastStatus: Boolean(fastPath) },
    `Ready on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`,
  );
});

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "Shutting down: answering held long-polls, draining requests");
  const force = setTimeout(() => {
    log.warn({ graceMs }, "Grace period over: exiting with requests still open");
    process.exit(1);
  }, graceMs);
  force.unref();
  const closed = new Promise((resolve) => server.close(resolve));
  const events = globalThis.qrlEvents;
  if (events) {
    events.stopping = true;
    events.waiters.notifyAll();
  }
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  await closed;
  clearInterval(idle);
  await globalThis.qrlStore?.client?.quit().catch(() => {});
  log.info("Stopped");
  process.exit(0);
}

process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
