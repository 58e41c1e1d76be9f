import { otherMethods } from "@/lib/http/other-methods";
import { signOutRoute } from "./sign-out";

/** Signs the computer out: its next request finds its session gone. */
export const DELETE = signOutRoute(false);

export const { GET, POST, PUT, PATCH } = otherMethods(["DELETE"]);
