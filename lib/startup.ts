import "server-only";
import { env } from "./env";
import { listenForSignOuts } from "./sessions/revocations";
import { store } from "./store";
import { listenForTickets } from "./tickets/events";
import { webhookQueue } from "./webhooks";

/** Checks the environment and opens the store: a bad variable stops start-up with one line naming it. */
export function startup() {
  try {
    env();
  } catch (error) {
    if (!(error instanceof Error && error.name === "EnvError")) throw error;
    console.error(error.message);
    process.exit(1);
  }
  store();
  // Every instance hears sign-outs (and ticket wake-ups) from the start, not only once it holds a long-poll.
  void listenForSignOuts().catch(() => {});
  void listenForTickets().catch(() => {});
  // With WEBHOOK_URL set, this instance delivers queued webhooks from the start.
  webhookQueue();
}
