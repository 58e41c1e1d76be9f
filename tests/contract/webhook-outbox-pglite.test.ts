import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDataDir } from "../support/pglite-template";
import { webhookOutboxContract } from "./webhook-outbox-contract";

const dir = mkdtempSync(join(tmpdir(), "qrl-outbox-"));

webhookOutboxContract("PGlite", {
  settings: async () => {
    // A copy of an initialised PGlite folder: no initdb in WebAssembly for this suite.
    await freshDataDir(dir);
    return { kind: "pglite", dataDir: dir, timeoutMs: 2000 };
  },
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});
