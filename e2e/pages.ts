import {
  type Browser,
  type BrowserContextOptions,
  devices,
  expect,
  type Locator,
  type Page,
} from "@playwright/test";
import enPhone from "../messages/en/phone.json";
import zhPhone from "../messages/zh-CN/phone.json";
import { decodeQrPng, onBase } from "./qr";

const { defaultBrowserType: _d, ...desktopDevice } = devices["Desktop Chrome"];
const { defaultBrowserType: _p, ...phoneDevice } = devices["Pixel 7"];

/**
 * Resolves once the page's finite animations and transitions (the QR fading in
 * or out) are over, so a picture shows the state, not the way to it; the
 * spinner and the skeleton's shimmer loop for ever and are not waited for.
 */
export async function animationsDone(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => {})),
    ).then(() => {}),
  );
}

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

  /**
   * "Continue as {name}?": asked when the approving account has never signed
   * in on this browser (a fresh browser context always is one).
   */
  continueQuestion(name: string): Locator {
    return this.page.getByText(`Continue as ${name}?`, { exact: true });
  }

  /** Answers "Continue as {name}?" with Continue: the person at the computer says it is their account. */
  async continueAs(name: string) {
    await expect(this.continueQuestion(name)).toBeVisible();
    await this.page.getByRole("button", { name: "Continue", exact: true }).click();
  }

  /** "This isn't me" to the account the question names. */
  async refuse(name: string) {
    await expect(this.continueQuestion(name)).toBeVisible();
    await this.page.getByRole("button", { name: "This isn't me" }).click();
  }

  /** After an approval from a phone: continues as `name` and waits until the home page says so. */
  async signedInAs(name: string) {
    await this.continueAs(name);
    await this.expectSignedIn(name);
  }

  /** The home page, signed in as `name`. */
  async expectSignedIn(name: string) {
    await this.page.waitForURL(`${this.base}/`);
    await expect(this.page.getByText(`Signed in as ${name}`)).toBeVisible();
  }

  /** Screenshots the page and decodes the QR in it (what a phone camera would do). */
  async tryReadQr(): Promise<string | null> {
    return decodeQrPng(await this.page.screenshot({ fullPage: true }));
  }

  /** The URL the QR on screen carries, once a QR is on screen and reads (a new one may be rendering). */
  async readQr(): Promise<string> {
    await expect(this.qr, "no QR code on the login page").toBeVisible();
    let url: string | null = null;
    await expect
      .poll(async () => (url = await this.tryReadQr()), {
        message: "no readable QR code on the login page",
      })
      .not.toBeNull();
    return url ?? "";
  }

  async close() {
    await this.page.context().close();
  }
}

/** The phone app's words in `locale` (messages/<locale>/phone.json), for a phone opened in that language. */
interface PhoneWords {
  signIn: { username: string; password: string; submit: string };
  home: { title: string };
}
const phoneWords = (locale: string): PhoneWords => (locale === "zh-CN" ? zhPhone : enPhone);

/** A phone browser on /m (page object): the simulated mobile app. */
export class PhoneApp {
  constructor(
    readonly page: Page,
    readonly base: string,
    readonly words: PhoneWords = phoneWords("en"),
  ) {}

  static async open(browser: Browser, base: string, options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ ...phoneDevice, ...options, baseURL: base });
    return new PhoneApp(await context.newPage(), base, phoneWords(options.locale ?? "en"));
  }

  /** Fills the sign-in form shown on whatever phone page is open (in the phone's language). */
  async fillSignIn(username: string, password: string) {
    const w = this.words.signIn;
    await this.page.getByLabel(w.username).fill(username);
    await this.page.getByLabel(w.password).fill(password);
    await this.page.getByRole("button", { name: w.submit, exact: true }).click();
  }

  async signIn(username: string, password: string) {
    await this.page.goto("/m");
    await this.fillSignIn(username, password);
    await expect(this.page.getByRole("heading", { name: this.words.home.title })).toBeVisible();
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

  /** After Approve: "waiting for the computer", or already "<browser> on <OS> is signed in". */
  async approve() {
    await this.page.getByRole("button", { name: "Approve" }).click();
    await expect(
      this.page.getByRole("heading", {
        name: /^(Approved — waiting for the computer…|.+ on .+ is signed in)$/,
      }),
    ).toBeVisible();
  }

  /** The phone's final word once the computer signed in. */
  get signedInHeading(): Locator {
    return this.page.getByRole("heading", { name: /^Chrom(e|ium) \d+ on .+ is signed in$/ });
  }

  async deny() {
    await this.page.getByRole("button", { name: "Deny" }).click();
    await expect(this.page.getByRole("heading", { name: "Login declined" })).toBeVisible();
  }

  async close() {
    await this.page.context().close();
  }
}

/** A third-party web app (examples/express-app) that signs in through the OpenID Provider. */
export class ExampleAppPage {
  constructor(
    readonly page: Page,
    readonly url: string,
  ) {}

  static async open(browser: Browser, url: string) {
    const context = await browser.newContext({ ...desktopDevice });
    const page = await context.newPage();
    await page.goto(url);
    return new ExampleAppPage(page, url);
  }

  /** "Sign in with QR login": the app sends the browser to the provider, which shows our /login. */
  async startSignIn() {
    await this.page.getByRole("link", { name: "Sign in with QR login" }).click();
    await this.page.waitForURL(/\/login\?/);
  }

  /** The app's home page, signed in from a verified ID token. */
  async expectSignedIn(text: string) {
    await this.page.waitForURL(`${this.url}/`);
    await expect(this.page.getByText(text)).toBeVisible();
  }

  async close() {
    await this.page.context().close();
  }
}
