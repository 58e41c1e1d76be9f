import { methods } from "@/lib/http/handler";
import { reportRoute } from "../sign-out";

/** "This wasn't me": signs the computer out and records the report in the user's history. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: reportRoute,
});
