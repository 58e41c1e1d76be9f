import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate` writes a migration for a change to the schema;
// commit it. The app and `npm run db:migrate` apply them (lib/db/migrate.ts), from ./drizzle.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
});
