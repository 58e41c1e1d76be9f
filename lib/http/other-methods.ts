import "server-only";
import { ApiError, errorResponse } from "./errors";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * Handlers for the methods a route does not serve: 405 in the error shape
 * with an Allow header (Next.js's own 405 has an empty body). Spread into
 * the route's exports: `export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"])`.
 */
export function otherMethods(allowed: readonly Method[]): Record<Method, () => Response> {
  const refuse = () =>
    errorResponse(new ApiError("method_not_allowed", undefined, { Allow: allowed.join(", ") }));
  return Object.fromEntries(METHODS.map((m) => [m, refuse])) as Record<Method, () => Response>;
}
