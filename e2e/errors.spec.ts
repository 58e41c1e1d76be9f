import { expect, test } from "./fixtures";
import { LoginPage } from "./pages";

/** Failures the server can answer with, as the login page puts them: what happened, what next. */
test("rate limiting and an unavailable service are explained, and Try again recovers", async ({
  browser,
  app,
}) => {
  const desktop = await LoginPage.open(browser, app.url);
  try {
    const answers = [
      { status: 429, code: "rate_limited", headers: { "Retry-After": "30" } },
      { status: 503, code: "store_unavailable", headers: { "Retry-After": "1" } },
    ];
    await desktop.page.route("**/api/qr", async (route) => {
      const answer = answers.shift();
      if (!answer || route.request().method() !== "POST") return route.continue();
      await route.fulfill({
        status: answer.status,
        headers: answer.headers,
        json: { error: { code: answer.code, message: "from the test" } },
      });
    });
    // Status polls pass through this handler, so a poll held open (long-poll) can be cut.
    let offline = false;
    let goOffline = () => {};
    const cut = new Promise<void>((resolve) => {
      goOffline = () => {
        offline = true;
        resolve();
      };
    });
    await desktop.page.route("**/api/qr/*", async (route) => {
      if (offline) return route.abort("internetdisconnected");
      const answer = await Promise.race([route.fetch(), cut.then(() => null)]);
      return answer ? route.fulfill({ response: answer }) : route.abort("internetdisconnected");
    });
    const status = desktop.status;
    const tryAgain = desktop.page.getByRole("button", { name: "Try again" });

    await desktop.page.goto("/login");
    await expect(status).toHaveText("Too many attempts. Wait 30 seconds, then try again.");
    await expect(desktop.qr).toHaveCount(0);
    await tryAgain.click();
    await expect(status).toHaveText(
      "The login service is temporarily unavailable. Try again in a moment.",
    );
    await tryAgain.click();
    await expect(status).toHaveText("Scan with your phone's camera");
    expect(new URL(await desktop.readQr()).pathname).toMatch(/^\/m\/scan\//);

    // The poll losing its answers keeps the code and says what is going on.
    // No answer comes back (the long-poll held open fails, and so does every poll after
    // it) while the browser is online: the service is not answering, not the person's network.
    goOffline();
    await expect(desktop.page.getByRole("main").getByRole("alert")).toHaveText(
      "The sign-in service is not answering; we keep trying.",
    );
    await expect(desktop.qr).toBeVisible();
  } finally {
    await desktop.close();
  }
});
