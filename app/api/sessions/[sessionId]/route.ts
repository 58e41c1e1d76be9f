import { signOutRoute } from "./sign-out";

/** Signs the computer out: its next request finds its session gone. */
export const DELETE = signOutRoute(false);
