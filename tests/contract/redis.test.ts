import { inject } from "vitest";
import { createRedis } from "@/lib/redis";
import { RedisKv } from "@/lib/store/redis-kv";
import { ticketContract } from "./ticket-contract";

ticketContract("Redis", async () => {
  const client = createRedis(inject("redisUrl"), 2000);
  await new Promise((resolve) => client.once("ready", resolve));
  return { kv: new RedisKv(client, 2000), close: async () => void (await client.quit()) };
});
