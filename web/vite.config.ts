import { defineConfig } from "vitest/config";

// The app is served by delphid under /app/ (see handler.go). `npm run dev`
// proxies the node's REST routes so the dev server behaves the same.
export default defineConfig({
  base: "/app/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Reproducible output: the committed dist/ is checked against a fresh build.
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/delphi": process.env.DELPHI_REST ?? "http://127.0.0.1:1317",
      "/cosmos": process.env.DELPHI_REST ?? "http://127.0.0.1:1317",
      "/app/config.json": process.env.DELPHI_REST ?? "http://127.0.0.1:1317",
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
