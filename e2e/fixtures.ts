import { test as base } from "@playwright/test";
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
