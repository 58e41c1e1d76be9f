import "server-only";
import { env } from "../env";
import { store } from "../store";
import { TicketService } from "./service";

export type { Ticket, TicketState } from "./machine";
export { TicketActionError, type TicketEvent } from "./service";

const cache = globalThis as unknown as { qrlTickets?: TicketService };

export function tickets(): TicketService {
  cache.qrlTickets ??= new TicketService(store(), env().ttl);
  return cache.qrlTickets;
}
