import { violations } from "./axe";
import { expect, test } from "./fixtures";

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
