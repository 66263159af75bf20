import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The admin UI is served by the Tollgate server at /admin (packages/server/src/http/adminAssets.ts). */
export default defineConfig({
  root: import.meta.dirname,
  base: "/admin/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true },
  logLevel: "warn",
});
