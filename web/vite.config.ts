import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dashboard: `npm run build` writes dist/web, which `steadyops serve` serves at `/`. */
export const config = defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:7070' } },
});

// vite loads the default export of its config file.
export default config;
