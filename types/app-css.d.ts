/** The app's style sheets as one string (scripts/build-server.mjs bundles them for lib/server). */
declare module "qrl:app-css" {
  const css: string;
  export default css;
}
