import "server-only";
import { env } from "../env";
import { singleton } from "../registry";
import { store } from "../store";
import { TicketService } from "./service";

export type { Ticket, TicketState } from "./machine";
export { TicketActionError, type TicketEvent } from "./service";

export const tickets = (): TicketService =>
  singleton("tickets", () => new TicketService(store(), env().ttl));
