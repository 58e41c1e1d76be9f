import { expect, test } from "./fixtures";

test("type the code instead of scanning: lower case with the dash, approve, the desktop is signed in", async ({
  desktop,
  newPhone,
}) => {
  const code = (await desktop.userCode.textContent()) ?? "";
  expect(code).toMatch(/^[B-Z]{4}-[B-Z]{4}$/);

  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.page.getByRole("link", { name: /type the code instead/i }).click();
  await expect(phone.page).toHaveURL(/\/m\/link$/);

  // A code no computer shows is refused, with what to do.
  await phone.enterCode("bcdf-ghjk");
  const problem = phone.page.getByRole("main").getByRole("alert");
  await expect(problem).toHaveText(/No sign-in request has this code/);
  // The typed code stays, to correct; the field says it is wrong, and why, with focus in it.
  const field = phone.page.getByLabel("Code shown on the computer");
  await expect(field).toHaveValue("bcdf-ghjk");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(/No sign-in request has this code/);
  await expect(field).toBeFocused();

  await phone.enterCode(code.toLowerCase());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.page).toHaveURL(/\/m\/scan\/[A-Za-z0-9_-]{24}(\?t=[^&]+)?$/);
  await expect(phone.detail(code).getByText(code, { exact: true })).toBeVisible();
  // Same machine, fresh code: no relayed-code warning.
  await expect(phone.page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");

  await phone.approve();
  await desktop.signedInAs("Alice Liddell");
});
