// Bundles lib/fast-path.ts (the status long-poll, the same code the Next.js
// route runs) into <distDir>/qrl/fast-path.cjs for server.mjs. Part of
// `npm run build`, after `next build`. npm packages stay external: they load
// from node_modules, the same copies the Next.js bundle uses.
import { build } from "esbuild";

const distDir = process.env.NEXT_DIST_DIR || ".next";

await build({
  entryPoints: ["lib/fast-path.ts"],
  outfile: `${distDir}/qrl/fast-path.cjs`,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  plugins: [
    {
      // `server-only` guards against bundling into client code; on the server it is empty.
      name: "server-only",
      setup(b) {
        b.onResolve({ filter: /^server-only$/ }, () => ({
          path: "server-only",
          namespace: "stub",
        }));
        b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "", loader: "js" }));
      },
    },
  ],
});
console.log(`Built ${distDir}/qrl/fast-path.cjs`);
