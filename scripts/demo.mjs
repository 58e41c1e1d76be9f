// `npm run demo`: the production build on port 3000 with demo users, on
// Redis when REDIS_URL is set and on the embedded memory store otherwise; the
// accounts in PostgreSQL when DATABASE_URL is set, else in the embedded
// database in QRL_DATA_DIR (.data), where they survive a restart.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";

const env = process.env;
env.NODE_ENV = "production";
env.PORT ||= "3000";
env.AUTH_TRUST_HOST ||= "true";
// Recovery codes are hashed under a key (RECOVERY_CODE_SECRET, else NEXTAUTH_SECRET); the demo's
// session secret is new at every start, so the demo keeps a key in its data folder instead.
if (!env.RECOVERY_CODE_SECRET && !env.NEXTAUTH_SECRET) {
  const dir = env.QRL_DATA_DIR || ".data";
  const file = join(dir, "recovery-code-secret");
  let key = "";
  try {
    key = readFileSync(file, "utf8").trim();
  } catch {}
  if (key.length < 32) {
    key = randomBytes(32).toString("base64url");
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, key, { mode: 0o600 });
  }
  env.RECOVERY_CODE_SECRET = key;
}
env.NEXTAUTH_SECRET ||= randomBytes(32).toString("base64url");
env.QRL_DEMO_USERS ??= "alice:wonderland:Alice Liddell,bob:builder:Bob Martin";
if (!env.REDIS_URL) env.QRL_STORE ||= "memory";
// Anyone may create an account in the demo (production's default is closed).
env.SIGNUP ||= "open";

const lan = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

console.log(`
QR login demo (store: ${env.REDIS_URL ? `Redis at ${env.REDIS_URL}` : "embedded memory"}; accounts: ${env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded database in ${env.QRL_DATA_DIR || ".data"}`})
  Desktop: http://localhost:${env.PORT}/login
  Phone:   ${env.PUBLIC_URL ?? `http://${lan ?? "<this machine's address>"}:${env.PORT}`}/m
  Demo users: ${env.QRL_DEMO_USERS.split(",")
    .map((u) => u.split(":").slice(0, 2).join(" / "))
    .join(", ")}
`);

await import("../server.mjs");
