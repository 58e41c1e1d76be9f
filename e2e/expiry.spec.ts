import { expect, testWithOwnApp } from "./fixtures";

/** This file's own app: codes live 2 s, the page polls every 200 ms. */
const test = testWithOwnApp({ QRL_PENDING_TTL_S: "2", QRL_POLL_INTERVAL_MS: "200" });

test("an expired code is replaced a few times, then the page waits for the person", async ({
  desktop,
  newPhone,
}) => {
  test.setTimeout(45_000);
  const seen = [await desktop.readQr()];

  // Replaced by a new one without anyone doing anything.
  // (Kept from the read that saw it: with 2-s codes, the next one may already be fading.)
  let fresh: string | null = null;
  await expect
    .poll(async () => {
      const url = await desktop.tryReadQr();
      if (url !== null && !seen.includes(url)) fresh = url;
      return fresh !== null;
    })
    .toBe(true);
  seen.push(fresh ?? "");

  // The old code, opened on a signed-in phone, says so.
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(seen[0] ?? "");
  await expect(phone.page.getByRole("heading", { name: "This code has expired" })).toBeVisible();
  await expect(phone.page.getByText(/“Get a new code” on the computer's login page/)).toBeVisible();
  await expect(phone.page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // After three automatic replacements an idle tab stops asking for codes.
  await expect(desktop.status).toHaveText("Code expired — get a new one", { timeout: 20_000 });
  await expect(desktop.qr).toHaveCount(0);
  await desktop.page.getByRole("button", { name: "Get a new code" }).click();
  await expect(desktop.status).toHaveText("Scan with your phone's camera");
  expect(seen).not.toContain(await desktop.readQr());
});

test("each renewal is said anew: which one it is, and that the typed code changed too", async ({
  desktop,
}) => {
  // A new text each time, so a screen reader hears it again; nothing about a phone
  // answering, since nothing was scanned.
  for (const n of [1, 2, 3]) {
    await expect(desktop.status).toHaveText(
      `New code (${n} of 3): the last one expired. Scan this one; the code to type has changed too.`,
    );
  }
  await expect(desktop.status).toHaveText("Code expired — get a new one");
});
