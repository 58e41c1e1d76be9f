import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { securityRecordsContract } from "./security-records-contract";

const dir = mkdtempSync(join(tmpdir(), "qrl-security-records-"));

securityRecordsContract("PGlite", {
  settings: async () => ({ kind: "pglite", dataDir: dir, timeoutMs: 5000 }),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});
