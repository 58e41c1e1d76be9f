import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh data folder for one app instance, copied from an initialised
 * PGlite folder. Creating a PGlite database runs initdb in WebAssembly (up to
 * a minute on a busy 2-core machine); a copy of a closed, empty one takes
 * milliseconds. The app still migrates it and seeds its demo users at start,
 * exactly as on a first start. The template is made once per machine (and
 * PGlite version) and kept in the temp folder.
 */
export async function freshDataDir(target: string): Promise<void> {
  const template = await pgliteTemplate();
  cpSync(template, join(target, "pglite"), { recursive: true });
}

async function pgliteTemplate(): Promise<string> {
  const manifest = readFileSync(
    join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"),
  );
  const key = createHash("sha256").update(manifest).digest("hex").slice(0, 12);
  const template = join(tmpdir(), `qrl-pglite-template-${key}`);
  if (existsSync(join(template, "PG_VERSION"))) return template;
  const { PGlite } = await import("@electric-sql/pglite");
  const building = `${template}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const db = await PGlite.create(building);
  await db.close();
  try {
    renameSync(building, template);
  } catch {
    // Another process made it first.
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}
