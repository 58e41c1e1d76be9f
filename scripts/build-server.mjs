// Bundles lib/server/entry.ts (the seam server.mjs uses: settings, request
// listener with the status fast path, shutdown) into <distDir>/qrl/server.cjs.
// Run by `npm run build` after `next build`, and by `npm run dev` at start.
// npm packages stay external: they load from node_modules, the same copies
// the Next.js bundle uses.

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Builds the entry; returns the bundle's path. */
export async function buildServerEntry(distDir = process.env.NEXT_DIST_DIR || ".next") {
  const outfile = `${root}${distDir}/qrl/server.cjs`;
  await build({
    entryPoints: [`${root}lib/server/entry.ts`],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    alias: { "@": root.replace(/\/$/, "") },
    logLevel: "warning",
    jsx: "automatic",
    plugins: [
      {
        // The app's style sheets as text, for the pages the server renders itself (lib/oidc/pages.ts).
        name: "app-css",
        setup(b) {
          b.onResolve({ filter: /^qrl:app-css$/ }, () => ({
            path: "app-css",
            namespace: "app-css",
          }));
          b.onLoad({ filter: /.*/, namespace: "app-css" }, async () => ({
            contents: (
              await Promise.all(
                ["app/globals.css", "app/(phone)/m/phone.css"].map((f) =>
                  readFile(`${root}${f}`, "utf8"),
                ),
              )
            ).join("\n"),
            loader: "text",
          }));
        },
      },
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
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`Built ${await buildServerEntry()}`);
}
