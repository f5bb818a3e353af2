import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

// End-to-end tests: the packed package inside a real n8n (`npm run test:e2e`).
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	test: {
		include: ['test/e2e/**/*.e2e.ts'],
		globalSetup: ['test/e2e/globalSetup.ts'],
		// The files share one n8n user folder and one simulator, and `n8n execute` must not run
		// beside `n8n start` on the same database.
		fileParallelism: false,
		testTimeout: 90_000,
		hookTimeout: 120_000,
	},
});
