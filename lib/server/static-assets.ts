import "server-only";
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import sirv from "sirv";
import { BASE_HEADERS } from "../http/response";

const PREFIX = "/_next/static/";
const YEAR_S = 31_536_000;

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => unknown) => unknown;

/**
 * The build's static files (`/_next/static/…`: content-hashed scripts, style
 * sheets, fonts), served in the compressed copy the browser accepts: brotli,
 * else gzip, both made once by `npm run build` (scripts/precompress.mjs).
 * Next.js would gzip each on the fly; brotli at its highest level makes
 * /login's scripts about 14 % smaller (BENCHMARKS.md, the page scenario).
 * sirv lists the folder once at start and serves only the files it found
 * there (no path outside it, nothing added later); anything else, and every
 * method but GET and HEAD, goes on to Next.js. Null without a built folder.
 */
export function staticAssets(distDir: string): Handler | null {
  const folder = join(distDir, "static");
  if (!existsSync(folder)) return null;
  const serve = sirv(folder, {
    dev: false,
    brotli: true,
    gzip: true,
    etag: true,
    extensions: [],
    maxAge: YEAR_S,
    immutable: true,
    setHeaders(res, pathname) {
      for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
      const type = /\.(m?js)$/.test(pathname)
        ? "application/javascript; charset=utf-8"
        : /\.css$/.test(pathname)
          ? "text/css; charset=utf-8"
          : null;
      if (type) res.setHeader("Content-Type", type);
    },
  });
  return (req, res, next) => {
    const url = req.url ?? "";
    if ((req.method !== "GET" && req.method !== "HEAD") || !url.startsWith(PREFIX)) {
      return next();
    }
    // sirv serves paths relative to its folder: the prefix goes while it looks.
    req.url = url.slice(PREFIX.length - 1);
    return serve(req, res, () => {
      req.url = url;
      next();
    });
  };
}
