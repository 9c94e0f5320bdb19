import { defineConfig } from 'vitest/config'

// The PostgreSQL suite: `npm run test:pg` with CRM_TEST_PG_URL pointing at a server
// (.ci/run starts one). Each test file makes its own databases.
export default defineConfig({
  test: {
    include: ['test/pg/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
