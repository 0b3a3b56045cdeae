import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromHere = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** The running server `npm run dev` proxies to (`npm start` listens on 8080 by default). */
const serverUrl = process.env.AV_GYM_SERVER_URL ?? 'http://127.0.0.1:8080';

/** The dashboard builds from the packages' sources, so it never depends on their build order. */
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@av-gym/client': fromHere('../../packages/client/src/index.ts'),
      '@av-gym/protocol': fromHere('../../packages/protocol/src/index.ts'),
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': { target: serverUrl, changeOrigin: false },
      '/ws': {
        target: serverUrl,
        ws: true,
        // the server allows only its own origin on /ws; the dev page's origin is Vite's
        configure: (proxy) => {
          proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('origin', serverUrl));
        },
      },
    },
  },
});
