import { ApiError, errorResponse } from "@/lib/http/errors";

/** Any /api/* path no route serves: 404 in the API's error shape (not Next.js's HTML page). */
const notFound = () => errorResponse(new ApiError("not_found", "No such API endpoint."));

export {
  notFound as DELETE,
  notFound as GET,
  notFound as HEAD,
  notFound as OPTIONS,
  notFound as PATCH,
  notFound as POST,
  notFound as PUT,
};
