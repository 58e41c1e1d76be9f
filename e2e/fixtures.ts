import { test as base } from "@playwright/test";
import { startApp } from "../tests/support/app-server";
import { freePort, startRedis } from "../tests/support/redis-server";
import { LoginPage, PhoneApp } from "./pages";
import { baseUrl } from "./stack";

export { expect } from "@playwright/test";

export interface App {
  url: string;
}

interface Fixtures {
  /** The desktop, already on /login with a live QR. */
  desktop: LoginPage;
  /** Opens another phone (its own browser context: its own cookies). */
  newPhone: () => Promise<PhoneApp>;
}

/**
 * Page objects for the two sides of a QR login. `app` is the server under
 * test: the global one by default; a spec may override it with its own.
 */
export const test = base.extend<Fixtures, { app: App }>({
  app: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure
    async ({}, use) => {
      await use({ url: baseUrl() });
    },
    { scope: "worker" },
  ],
  desktop: async ({ browser, app }, use) => {
    const desktop = await LoginPage.open(browser, app.url);
    await desktop.goto();
    await use(desktop);
    await desktop.close();
  },
  newPhone: async ({ browser, app }, use) => {
    const phones: PhoneApp[] = [];
    await use(async () => {
      const phone = await PhoneApp.open(browser, app.url);
      phones.push(phone);
      return phone;
    });
    for (const phone of phones) await phone.close();
  },
});

export interface OwnAppOptions {
  /** "redis" (default): a redis-server of its own; "memory": the embedded store. */
  store?: "redis" | "memory";
  /** Served as http://localhost:{port} (WebAuthn needs a name, not an address). */
  localhost?: boolean;
}

/** An app of a spec's own, for settings the global stack does not have; `stop` ends it and its Redis. */
export async function ownApp(env: Record<string, string>, o: OwnAppOptions = {}) {
  const redis = o.store === "memory" ? undefined : await startRedis();
  const named: Record<string, string> = {};
  if (o.localhost) {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    Object.assign(named, { PORT: String(port), PUBLIC_URL: url, NEXTAUTH_URL: url });
  }
  const app = await startApp({
    ...(redis ? { REDIS_URL: redis.url } : { QRL_STORE: "memory" }),
    ...named,
    ...env,
  });
  return {
    url: named.PUBLIC_URL ?? app.url,
    async stop() {
      await app.stop();
      await redis?.stop();
    },
  };
}

/** `test` with a worker-scoped app of the spec's own (ownApp) in place of the global one. */
export function testWithOwnApp(env: Record<string, string>, o: OwnAppOptions = {}) {
  return test.extend<object, { app: App }>({
    app: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure
      async ({}, use) => {
        const own = await ownApp(env, o);
        await use({ url: own.url });
        await own.stop();
      },
      { scope: "worker" },
    ],
  });
}
