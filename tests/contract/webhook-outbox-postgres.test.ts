import { freshDatabase } from "../support/databases";
import { webhookOutboxContract } from "./webhook-outbox-contract";

webhookOutboxContract("PostgreSQL 15", {
  settings: async () => ({
    kind: "postgres",
    url: await freshDatabase("outbox"),
    poolMax: 4,
    timeoutMs: 2000,
  }),
  cleanup: async () => {},
});
