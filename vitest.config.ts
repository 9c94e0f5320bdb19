import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/pg/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
})
