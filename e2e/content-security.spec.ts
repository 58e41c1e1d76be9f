import { expect, test } from "./fixtures";

/**
 * The CSP holds in a real browser. The test plays an XSS: it injects an
 * inline <script> into the real /login HTML on its way to the browser,
 * keeping the real headers. The page's own (nonce-carrying) scripts still
 * run — the QR is drawn and followed — and the injected one does not.
 */
test("an injected inline script is blocked while the page's own scripts run", async ({
  desktop,
}) => {
  const violations: string[] = [];
  desktop.page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  await desktop.page.route("**/login", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      "<body>",
      "<body><script>window.__injected = true;</script>",
    );
    expect(html).toContain("window.__injected");
    await route.fulfill({ response, body: html });
  });
  await desktop.page.reload();
  await expect(desktop.status).toHaveText("Scan with your phone's camera");

  const injectedRan = await desktop.page.evaluate(
    () => (window as unknown as { __injected?: boolean }).__injected === true,
  );
  expect(injectedRan).toBe(false);
  expect(violations).toHaveLength(1);
  expect(violations[0]).toMatch(/inline script/i);
});
