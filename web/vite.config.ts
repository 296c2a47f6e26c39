import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// One single-page app: the Beacon server serves web/dist and falls back to index.html for
// /, /history, /incidents/:id, /war-room and /war-room/incidents/:id. The API is same-origin.
export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No source maps: they would publish the whole source (and the server refuses to serve *.map).
    sourcemap: false,
    target: "es2022",
  },
  server: {
    port: 5173,
    proxy: {
      "/graphql": { target: "http://localhost:4000", ws: true, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      "/graphql": { target: "http://localhost:4000", ws: true, changeOrigin: true },
    },
  },
});
