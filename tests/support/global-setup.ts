import type { TestProject } from "vitest/node";
import { startRedis } from "./redis-server";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One redis-server for the whole vitest run (suites that stop Redis start their own). */
export default async function setup(project: TestProject) {
  const redis = await startRedis();
  project.provide("redisUrl", redis.url);
  return () => redis.stop();
}
