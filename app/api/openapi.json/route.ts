import { methods } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { openApiDocument } from "./document";

/** `GET /api/openapi.json`: the API as an OpenAPI 3.1 document (./document.ts). */
const document = () => json(openApiDocument());

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: document });
