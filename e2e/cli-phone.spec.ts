import { PhoneError, runPhone } from "../scripts/phone";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages";

test("the command-line phone approves; the desktop lands on a safe callback URL", async ({
  browser,
  app,
}) => {
  const desktop = await LoginPage.open(browser, app.url);
  try {
    // An off-site callbackUrl is ignored: no open redirect after login.
    await desktop.goto("?callbackUrl=https%3A%2F%2Fevil.example%2F");
    const lines: string[] = [];
    const result = await runPhone(
      {
        scanUrl: await desktop.readQr(),
        user: "bob",
        password: "builder",
        deny: false,
        baseUrl: app.url,
      },
      (line) => lines.push(line),
    );
    expect(result.state).toBe("confirmed");
    expect(lines.join("\n")).toMatch(/Login request from Chrome \d+ on Windows/);
    expect(lines.join("\n")).toContain(`User code: ${result.ticket.userCode}`);
    await desktop.signedInAs("Bob Martin");
  } finally {
    await desktop.close();
  }
});

test("the command-line phone reports a wrong password and a used code as errors", async ({
  desktop,
  app,
}) => {
  const scanUrl = await desktop.readQr();
  const options = { scanUrl, user: "carol", password: "nope", deny: false, baseUrl: app.url };
  await expect(runPhone(options)).rejects.toThrow(PhoneError);
  await expect(runPhone(options)).rejects.toMatchObject({ code: "invalid_credentials" });

  expect((await runPhone({ ...options, password: "carol-pass", deny: true })).state).toBe("denied");
  await expect(desktop.status).toHaveText("Login declined on the phone");
  await expect(runPhone({ ...options, password: "carol-pass" })).rejects.toMatchObject({
    code: "invalid_state",
  });
});
