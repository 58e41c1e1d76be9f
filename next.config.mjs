/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // A second build folder lets a developer test one build while building another.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `npm run typecheck` (part of `npm test`) checks every file, tests included;
  // the build need not do it a second time.
  typescript: { ignoreBuildErrors: true },
  // Plain Node libraries: load them from node_modules at run time, one copy per
  // process (prom-client's registry must not be duplicated across bundles).
  // Every response, API included; pages also get a nonce CSP and HSTS from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
  serverExternalPackages: ["pino", "ioredis", "prom-client", "rate-limiter-flexible"],
};

export default nextConfig;
