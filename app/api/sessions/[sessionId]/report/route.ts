import { otherMethods } from "@/lib/http/other-methods";
import { signOutRoute } from "../sign-out";

/** "This wasn't me": signs the computer out and records the report in the user's history. */
export const POST = signOutRoute(true);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
