import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** Builds the legal service centre's application (src/web) into dist/web, which the service serves at `/`. */
export default defineConfig({
  root: fileURLToPath(new URL("src/web", import.meta.url)),
  base: "/",
  publicDir: false,
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // Every asset a file of its own: the content security policy allows no inline data but images.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
