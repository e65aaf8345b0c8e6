import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Older phones and WebViews are common among members.
    target: 'es2020',
    // hls.js (~580 kB) is one chunk loaded only by the lecture page; everything else stays small.
    chunkSizeWarningLimit: 700,
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  server: {
    proxy: { '/api': backend, '/hls': backend, '/files': backend, '/health': backend },
  },
});
