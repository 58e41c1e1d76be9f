import { methods } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { openApiDocument } from "./document";

/** Built from the zod schemas on first request, then served from memory (it cannot change while running). */
let built: ReturnType<typeof openApiDocument> | undefined;

/** `GET /api/openapi.json`: the API as an OpenAPI 3.1 document (./document.ts). */
const document = () => {
  built ??= openApiDocument();
  return json(built);
};

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: document });
