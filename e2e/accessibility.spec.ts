import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}

test("the login page, the phone's sign-in and its confirm screen have no axe violations", async ({
  desktop,
  newPhone,
}) => {
  expect(await violations(desktop.page)).toEqual([]);

  const phone = await newPhone();
  await phone.page.goto("/m");
  await expect(phone.page.getByLabel("Username")).toBeVisible();
  expect(await violations(phone.page)).toEqual([]);

  await phone.fillSignIn("alice", "wonderland");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  expect(await violations(phone.page)).toEqual([]);
});
