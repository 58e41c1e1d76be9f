/**
 * The machine's floor for a status read: a bare node:http server doing the
 * same Redis read as GET /api/qr/{id} (HGETALL of the ticket's key), with no
 * framework, cookie check or logging. Run by stack.ts as its own process:
 *
 *   REDIS_URL=redis://127.0.0.1:6380 PORT=4000 node --import tsx scripts/bench/bare-server.ts
 *
 * GET /t/{ticketId} → 200 {state, version}, 404 when the key is missing.
 */
import { createServer } from "node:http";
import { Redis } from "ioredis";
import { keys } from "../../lib/store/keys";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  maxRetriesPerRequest: 1,
});
redis.on("error", () => {});

const server = createServer(async (req, res) => {
  const id = /^\/t\/([A-Za-z0-9_-]{1,64})$/.exec(req.url ?? "")?.[1];
  if (!id) {
    res.writeHead(404).end();
    return;
  }
  try {
    const hash = await redis.hgetall(keys.ticket(id));
    const found = Object.keys(hash).length > 0;
    res.writeHead(found ? 200 : 404, {
      "content-type": "application/json",
      "cache-control": "no-store",
    });
    res.end(found ? JSON.stringify({ state: hash.state, version: Number(hash.version) }) : "{}");
  } catch {
    res.writeHead(503).end();
  }
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("ready\n"));

const stop = () => {
  server.close();
  server.closeAllConnections();
  redis.disconnect();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
