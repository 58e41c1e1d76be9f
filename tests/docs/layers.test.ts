import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The layer rules in biome.json (README "Architecture"): each probe is a file
 * that imports across a layer boundary, linted with the project's own
 * configuration in a scratch folder; a wrong import must fail lint, the
 * same import in the right direction must pass.
 */
const run = promisify(execFile);
const BIOME = resolve("node_modules/.bin/biome");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "qrl-layers-"));
  const config = JSON.parse(await readFile("biome.json", "utf8"));
  config.vcs = { enabled: false };
  config.files = { includes: ["**"] };
  await writeFile(join(dir, "biome.json"), JSON.stringify(config));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Lints one file at `path` with `source`; returns the rule's diagnostics' text (empty: allowed). */
async function lint(path: string, source: string): Promise<string> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), source);
  try {
    await run(BIOME, ["lint", "--only=style/noRestrictedImports", path], { cwd: dir });
    return "";
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return `${stdout}${stderr}`;
  }
}

const importing = (specifier: string) =>
  `import { x } from "${specifier}";\n\nexport const y = x;\n`;

describe("layers point down (biome.json overrides)", () => {
  it.each([
    ["lib/tickets/probe.ts", "../http/errors", "domain code knows nothing of HTTP"],
    ["lib/sessions/probe.ts", "../rate-limit", "domain code knows nothing of HTTP"],
    ["lib/passkeys/probe.ts", "../auth/approver", "domain code knows nothing of HTTP"],
    ["lib/accounts/probe.ts", "@/lib/http/handler", "domain code knows nothing of HTTP"],
    ["lib/store/probe.ts", "../tickets/service", "infrastructure serves every layer"],
    ["lib/db/probe.ts", "../accounts/store", "infrastructure serves every layer"],
    ["lib/events.ts", "./sessions/revocations", "infrastructure serves every layer"],
    ["lib/http/probe.ts", "@/app/api/qr/route", "lib/ never imports app/"],
    ["lib/auth/probe.ts", "../../components/ui/button", "lib/ never imports app/"],
    ["lib/tickets/probe.ts", "@/components/ui/button", "Layers point down"],
    ["lib/sessions/probe.ts", "../oidc/logout", "domain code knows nothing of HTTP"],
    ["lib/accounts/probe.ts", "@/lib/recovery/recover", "domain code knows nothing of HTTP"],
    ["lib/store/probe.ts", "../oidc/adapter", "infrastructure serves every layer"],
    ["lib/oidc/probe.ts", "@/app/api/routes", "lib/ never imports app/"],
    ["lib/recovery/probe.ts", "../../components/ui/button", "lib/ never imports app/"],
  ])("%s may not import %s", async (path, specifier, message) => {
    expect(await lint(path, importing(specifier))).toContain(message);
  });

  it.each([
    ["lib/http/probe.ts", "../tickets/service"],
    ["lib/oidc/probe.ts", "../accounts/store"],
    ["lib/recovery/probe.ts", "../http/errors"],
    ["lib/tickets/probe.ts", "../store/kv"],
    ["lib/tickets/probe.ts", "../errors"],
    ["lib/server/probe.ts", "@/app/api/qr/[ticketId]/status"],
    ["app/api/probe/route.ts", "@/lib/http/handler"],
  ])("%s may import %s", async (path, specifier) => {
    expect(await lint(path, importing(specifier))).toBe("");
  });
});
