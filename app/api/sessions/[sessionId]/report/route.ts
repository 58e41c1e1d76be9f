import { signOutRoute } from "../sign-out";

/** "This wasn't me": signs the computer out and records the report in the user's history. */
export const POST = signOutRoute(true);
