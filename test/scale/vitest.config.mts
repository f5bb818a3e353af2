import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

// The scale test: n8n in queue mode with Redis, Postgres and two workers (`npm run test:scale`).
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	test: {
		include: ['test/scale/**/*.scale.ts'],
		testTimeout: 600_000,
		hookTimeout: 900_000,
	},
});
