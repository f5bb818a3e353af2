import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

// Browser tests: Debian's Chromium, driven by playwright-core, against the real n8n that the
// end-to-end setup starts (`npm run test:browser`; needs `apt-get install chromium`).
export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	test: {
		include: ['test/browser/**/*.browser.ts'],
		globalSetup: ['test/e2e/globalSetup.ts'],
		fileParallelism: false,
		testTimeout: 120_000,
		hookTimeout: 180_000,
	},
});
