import "server-only";
import baseHeaders from "./base-headers.json";

/**
 * Response helpers for every API answer. `BASE_HEADERS` is the one list of
 * headers on every response: next.config.mjs adds it to Next.js's responses
 * and the server entry to the ones it serves itself (lib/server/).
 */
export const BASE_HEADERS: Readonly<Record<string, string>> = baseHeaders;

export const NO_STORE = { "Cache-Control": "no-store" } as const;

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...NO_STORE, ...headers } });
}

export const noContent = (): Response => new Response(null, { status: 204, headers: NO_STORE });
