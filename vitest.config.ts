import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts FerretDB (or uses MONGODB_URL) once for the MongoDB adapter suites.
    globalSetup: ['./test/setup/ferretdb.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
