import "server-only";
import { headers } from "next/headers";
import { CSRF_HEADER } from "./csrf";

/** The CSRF token proxy.ts made for this page request ("" on a page without sign-in forms). */
export async function pageCsrfToken(): Promise<string> {
  return (await headers()).get(CSRF_HEADER) ?? "";
}
