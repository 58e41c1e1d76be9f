import { MemoryKv } from "@/lib/store/memory-kv";
import { ticketContract } from "./ticket-contract";

ticketContract("embedded memory store", async (clock) => {
  const kv = new MemoryKv(clock.now);
  return { kv, close: async () => kv.close() };
});
