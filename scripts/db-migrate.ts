// `npm run db:migrate`: applies the committed migrations (drizzle/) to
// DATABASE_URL, or to the embedded database in QRL_DATA_DIR, and exits. The
// server applies them at start too (under the same advisory lock); this is
// for operators who prefer to migrate before rolling out.
import { openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseEnv } from "@/lib/env";

async function main() {
  const settings = databaseEnv();
  const database = await openDatabase(settings);
  try {
    await migrate(database, settings);
    console.log(`Migrations applied: ${database.where}`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
