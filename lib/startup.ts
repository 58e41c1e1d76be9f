import "server-only";
import { env } from "./env";
import { store } from "./store";
import { subscribeEvents } from "./tickets/events";
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
  // Every instance hears sign-outs from the start, not only once it holds a long-poll.
  subscribeEvents();
  // With WEBHOOK_URL set, this instance delivers queued webhooks from the start.
  webhookQueue();
}
