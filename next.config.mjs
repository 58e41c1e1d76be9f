import { readFileSync } from "node:fs";
import createNextIntlPlugin from "next-intl/plugin";

// The headers on every response, defined once (lib/http/response.ts reads the same file).
const baseHeaders = JSON.parse(
  readFileSync(new URL("./lib/http/base-headers.json", import.meta.url), "utf8"),
);

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // A second build folder lets a developer test one build while building another.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `npm run typecheck` (part of `npm test`) checks every file, tests included;
  // the build need not do it a second time.
  typescript: { ignoreBuildErrors: true },
  // Every response, API included; pages also get a nonce CSP and HSTS from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(baseHeaders).map(([key, value]) => ({ key, value })),
      },
    ];
  },
  // Plain Node libraries: load them from node_modules at run time, one copy per
  // process (prom-client's registry must not be duplicated across bundles).
  // The database drivers too: PGlite loads its WebAssembly from its package folder,
  // and the account store must be one per process (lib/registry.ts).
  serverExternalPackages: [
    "pino",
    "ioredis",
    "prom-client",
    "rate-limiter-flexible",
    "bullmq",
    "@electric-sql/pglite",
    "pg",
    "drizzle-orm",
    "@node-rs/argon2",
    "bcryptjs",
  ],
};

// next-intl: the locale and messages per request come from i18n/request.ts. The messages
// are compiled at build time (next-intl's `precompile`), so browsers get no ICU parser.
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./i18n/request.ts",
  experimental: {
    messages: { path: "./messages", format: "json", locales: ["en", "zh-CN"], precompile: true },
  },
});

export default withNextIntl(nextConfig);
