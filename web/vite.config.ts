/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Element Plus is imported on demand (components, their CSS, and ElMessage & co.), and every
// page is its own chunk, so the login page stays small. Unit tests skip the CSS.
const importStyle = process.env.VITEST ? false : 'css'

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    AutoImport({
      resolvers: [ElementPlusResolver({ importStyle })],
      dts: 'src/auto-imports.d.ts',
    }),
    Components({
      resolvers: [ElementPlusResolver({ importStyle })],
      dts: 'src/components.d.ts',
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    // ECharts (only on the dashboard's chunk) is the one large piece.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Shared Element Plus chunks are named after their entry file (style/css.mjs): call them ep.
        chunkFileNames: (c) => `assets/${c.name === 'css' ? 'ep' : '[name]'}-[hash].js`,
        assetFileNames: (a) => `assets/${a.names?.[0]?.startsWith('css') ? 'ep' : '[name]'}-[hash][extname]`,
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
    // Mounting Element Plus dialogs takes a few seconds on a loaded 2-core machine; 5 s (the
    // default) made correct tests fail there. This is a safety net, not a speed target.
    testTimeout: 30000,
  },
})
