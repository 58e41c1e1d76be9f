import "server-only";

/**
 * The page Content-Security-Policy: scripts only with this response's nonce
 * (Next.js puts it on its own scripts; 'strict-dynamic' lets them load their
 * chunks), so an injected inline script does not run. Styles allow inline
 * `style` attributes, which React uses. No framing at all.
 */
export function contentSecurityPolicy(nonce: string, o: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Headers every page gets besides the CSP (API responses get the static ones from next.config.mjs). */
export function pageHeaders(https: boolean): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    ...(https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
