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
  serverExternalPackages: ["pino", "ioredis", "prom-client", "rate-limiter-flexible"],
};

export default nextConfig;
