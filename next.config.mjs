/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pino and ioredis are plain Node libraries: load them from node_modules at run time.
  serverExternalPackages: ["pino", "ioredis"],
};

export default nextConfig;
