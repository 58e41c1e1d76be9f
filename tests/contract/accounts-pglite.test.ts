import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { releaseDataDir, takeDataDir } from "@/lib/db/data-dir";
import { accountStoreContract } from "./accounts-contract";

const dir = mkdtempSync(join(tmpdir(), "qrl-accounts-"));

accountStoreContract("PGlite", {
  settings: async () => ({ kind: "pglite", dataDir: dir, timeoutMs: 2000 }),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

describe("the embedded database's folder", () => {
  it("serves one process: a folder locked by a live process is refused in words", async () => {
    const other = mkdtempSync(join(tmpdir(), "qrl-locked-"));
    try {
      // pid 1 is alive on every machine and is not this process.
      writeFileSync(join(other, "qrl.lock"), "1");
      await expect(
        openDatabase({ kind: "pglite", dataDir: other, timeoutMs: 2000 }),
      ).rejects.toThrow(/in use by process 1: the embedded database serves one process/);
      // A lock whose process is gone is taken over, and released by its holder.
      writeFileSync(join(other, "qrl.lock"), "999999999");
      const folder = await takeDataDir(other);
      expect(readFileSync(join(other, "qrl.lock"), "utf8")).toBe(String(process.pid));
      await releaseDataDir(folder);
      expect(existsSync(join(other, "qrl.lock"))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
