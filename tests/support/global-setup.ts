import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres-server";
import { startRedis } from "./redis-server";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    /** The run's PostgreSQL server, as postgres://qrl@127.0.0.1:PORT/postgres (a superuser). */
    postgresUrl: string;
  }
}

/**
 * One redis-server and one PostgreSQL server for the whole vitest run (suites
 * that stop either start their own). Suites create a database of their own on
 * the PostgreSQL server (tests/support/databases.ts).
 */
export default async function setup(project: TestProject) {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  project.provide("redisUrl", redis.url);
  project.provide("postgresUrl", postgres.url());
  // For tests/support/app-server.ts, which Playwright's suites use too (no inject there).
  process.env.QRL_TEST_POSTGRES_URL = postgres.url();
  return async () => {
    await Promise.all([redis.stop(), postgres.remove()]);
  };
}
