import { methods } from "@/lib/http/handler";
import { signOutRoute } from "./sign-out";

/** Signs the computer out: its next request finds its session gone. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  DELETE: signOutRoute,
});
