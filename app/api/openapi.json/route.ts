import { methods, route } from "@/lib/http/handler";
import { openApiDocument } from "./document";

/** Built from the route specs on first request, then served from memory (it cannot change while running). */
let built: string | undefined;

/** `GET /api/openapi.json`: the API as an OpenAPI 3.1 document (./document.ts). */
const document = route(
  { summary: "This document", tag: "operations", ok: [200, null], errors: [] },
  async ({ reply }) => {
    built ??= JSON.stringify(openApiDocument());
    return reply(built, { "Content-Type": "application/json" });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: document });
