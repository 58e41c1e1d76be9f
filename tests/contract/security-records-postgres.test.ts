import { freshDatabase } from "../support/databases";
import { securityRecordsContract } from "./security-records-contract";

securityRecordsContract("PostgreSQL 15", {
  settings: async () => ({
    kind: "postgres",
    url: await freshDatabase("security_records"),
    poolMax: 4,
    timeoutMs: 2000,
  }),
  cleanup: async () => {},
});
