import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The customer portal is served by the Tollgate server at /portal/<token> (packages/server/src/http/uiAssets.ts). */
export default defineConfig({
  root: import.meta.dirname,
  base: "/portal/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true },
  logLevel: "warn",
});
