import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { FORM_ROUTES, pagePostProblem } from "./page-post";

/** Every route.ts under app/ outside app/api, as the URL path it serves (route groups left out). */
function formRoutesInApp(): string[] {
  const root = join(import.meta.dirname, "../../app");
  const found: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name !== "route.ts") continue;
    const dir = relative(root, entry.parentPath);
    if (dir === "api" || dir.startsWith("api/")) continue;
    found.push(
      `/${dir
        .split("/")
        .filter((part) => !/^\(.*\)$/.test(part))
        .join("/")}`,
    );
  }
  return found.sort();
}

const post = (path: string, body: string, type = "multipart/form-data; boundary=x") =>
  new Request(`http://127.0.0.1${path}`, {
    method: "POST",
    headers: { "content-type": type },
    body,
  });

const field = (name: string, value: string) =>
  `--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

describe("page POSTs the proxy answers before Next.js", () => {
  it("knows every plain-form route outside /api", () => {
    expect([...FORM_ROUTES].sort()).toEqual(formRoutesInApp());
  });

  it("refuses in words a multipart post to a page that names no action; a form route or an action goes on", async () => {
    expect(await pagePostProblem(post("/", "--x--"))).toMatch(/names no action of this page/);
    expect(await pagePostProblem(post("/account", `${field("a", "1")}--x--`))).toMatch(
      /names no action/,
    );
    expect(await pagePostProblem(post("/language", `${field("locale", "en")}--x--`))).toBeNull();
    expect(
      await pagePostProblem(post("/account", `${field("$ACTION_ID_abc", "")}--x--`)),
    ).toBeNull();
    expect(await pagePostProblem(post("/", "not multipart"))).toMatch(/not valid multipart/);
    expect(await pagePostProblem(post("/", "a=1", "application/x-www-form-urlencoded"))).toBeNull();
  });
});
