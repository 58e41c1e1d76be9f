import {
  type Browser,
  type BrowserContextOptions,
  devices,
  expect,
  type Locator,
  type Page,
} from "@playwright/test";
import { decodeQrPng, onBase } from "./qr";

const { defaultBrowserType: _d, ...desktopDevice } = devices["Desktop Chrome"];
const { defaultBrowserType: _p, ...phoneDevice } = devices["Pixel 7"];

/** The desktop browser on /login (page object). */
export class LoginPage {
  constructor(
    readonly page: Page,
    readonly base: string,
  ) {}

  static async open(browser: Browser, base: string, options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ ...desktopDevice, ...options, baseURL: base });
    return new LoginPage(await context.newPage(), base);
  }

  get status(): Locator {
    return this.page.getByRole("main").getByRole("status");
  }

  get qr(): Locator {
    return this.page.getByRole("img", { name: /QR code to sign in/ });
  }

  /** The code to type instead of scanning, shown under the QR. */
  get userCode(): Locator {
    return this.page.getByText(/^[B-Z]{4}-[B-Z]{4}$/);
  }

  async goto(query = "") {
    await this.page.goto(`/login${query}`);
    await expect(this.qr).toBeVisible();
    await expect(this.status).toHaveText("Scan with your phone's camera");
  }

  /** Screenshots the page and decodes the QR in it (what a phone camera would do). */
  async tryReadQr(): Promise<string | null> {
    return decodeQrPng(await this.page.screenshot({ fullPage: true }));
  }

  async readQr(): Promise<string> {
    const url = await this.tryReadQr();
    if (!url) throw new Error("no readable QR code on the login page");
    return url;
  }

  async close() {
    await this.page.context().close();
  }
}

/** A phone browser on /m (page object): the simulated mobile app. */
export class PhoneApp {
  constructor(
    readonly page: Page,
    readonly base: string,
  ) {}

  static async open(browser: Browser, base: string, options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ ...phoneDevice, ...options, baseURL: base });
    return new PhoneApp(await context.newPage(), base);
  }

  /** Fills the sign-in form shown on whatever phone page is open. */
  async fillSignIn(username: string, password: string) {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signIn(username: string, password: string) {
    await this.page.goto("/m");
    await this.fillSignIn(username, password);
    await expect(
      this.page.getByRole("heading", { name: "Scan a QR code with your camera" }),
    ).toBeVisible();
  }

  /** Opens what the camera read (rewritten to the test app's origin). */
  async openScan(scanUrl: string) {
    await this.page.goto(onBase(scanUrl, this.base));
  }

  /** Types a code from the computer on /m/link instead of scanning. */
  async enterCode(code: string) {
    await this.page.goto("/m/link");
    await this.page.getByLabel("Code shown on the computer").fill(code);
    await this.page.getByRole("button", { name: "Continue" }).click();
  }

  /** The device listed on /m/sessions whose browser and system read `device`. */
  signedInDevice(device: string): Locator {
    return this.page
      .getByRole("list", { name: "Signed-in devices" })
      .getByRole("listitem")
      .filter({ has: this.page.getByRole("heading", { name: device }) })
      .first();
  }

  get confirmHeading(): Locator {
    return this.page.getByRole("heading", { name: "Sign in on a computer?" });
  }

  detail(name: string): Locator {
    return this.page.getByRole("definition").filter({ hasText: name });
  }

  async approve() {
    await this.page.getByRole("button", { name: "Approve" }).click();
    await expect(
      this.page.getByRole("heading", { name: "You're signed in on the computer" }),
    ).toBeVisible();
  }

  async deny() {
    await this.page.getByRole("button", { name: "Deny" }).click();
    await expect(this.page.getByRole("heading", { name: "Login declined" })).toBeVisible();
  }

  async close() {
    await this.page.context().close();
  }
}
