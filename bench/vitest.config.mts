import { defineConfig } from 'vitest/config';

import { engineAliases } from './engine.mjs';

// The benchmark runs the nodes in the same real-engine harness as the tests, but is not a test:
// it prints figures and asserts nothing about time.
export default defineConfig({
	resolve: { alias: engineAliases() },
	test: {
		include: ['bench/**/*.bench.ts'],
		setupFiles: ['bench/setup.ts'],
		testTimeout: 3_600_000,
		hookTimeout: 600_000,
		fileParallelism: false,
		pool: 'forks',
		execArgv: ['--expose-gc'],
		reporters: ['default'],
	},
});
