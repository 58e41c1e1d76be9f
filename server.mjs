// @ts-check
// The app's HTTP server: Next.js's request handler behind a plain node:http
// server. Everything it does beyond listening comes from one typed entry,
// lib/server/entry.ts (bundled to <distDir>/qrl/server.cjs by `npm run build`,
// and at start by `npm run dev`):
// - settings, validated by lib/env.ts: a malformed one stops start-up with
//   one line naming it;
// - the server: malformed requests refused before Next.js sees them, the
//   socket's address for the app, a request id and one log line per request,
//   the status long-poll (GET /api/qr/{id}) served without Next.js's
//   per-request cost (QRL_FAST_STATUS=false turns it off), slow-header and
//   per-address connection limits;
// - the database (PostgreSQL at DATABASE_URL, else PGlite in QRL_DATA_DIR),
//   opened and migrated before the server listens, and the store (Redis)
//   connected with its events subscription live;
// - shutdown on SIGTERM: answers held long-polls, drains, closes Redis and the database.
// Used by `npm start`, `npm run dev`, `npm run demo` and the tests.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import next from "next";

const dev = process.argv.includes("--dev");
// The build folder, as next.config.mjs reads it: where to find the entry's bundle.
const distDir = process.env.NEXT_DIST_DIR || ".next";
const bundle = dev
  ? await (await import("./scripts/build-server.mjs")).buildServerEntry(distDir)
  : new URL(`./${distDir}/qrl/server.cjs`, import.meta.url).pathname;
if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run \`npm run build\` first.`);
  process.exit(1);
}

/** @type {import("./lib/server/entry").ServerEntry} */
let entry;
try {
  entry = createRequire(import.meta.url)(bundle).start({ dev });
} catch (thrown) {
  const error = /** @type {Error} */ (thrown);
  if (error?.name !== "EnvError") throw error;
  console.error(error.message);
  process.exit(1);
}
const { port, host } = entry.settings;

// The system of record first: migrated, and the line saying which database it is.
try {
  await entry.openDatabase();
} catch (thrown) {
  const error = /** @type {Error} */ (thrown);
  console.error(`Cannot open the database: ${error?.message ?? error}`);
  process.exit(1);
}

const app = next({ dev, hostname: host === "0.0.0.0" ? "localhost" : host, port });
await app.prepare();
// The store connected and the events subscription live before the first request can come.
await entry.openStore();

const server = entry.createServer(app.getRequestHandler());
server.listen(port, host, () => entry.listening(server));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => entry.shutdown(server, signal));
}
