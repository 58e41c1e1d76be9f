/**
 * The HTTP methods any route here may serve, defined once: the server's guard
 * refuses every other (TRACE, PROPFIND, CONNECT…) before Next.js sees it, and
 * each route answers the ones it does not serve with a 405 naming its own.
 */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The Allow header for a method no route serves. */
export const ALLOW_ANY = HTTP_METHODS.join(", ");
