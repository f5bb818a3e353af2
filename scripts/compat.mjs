// `npm run test:compat`: the end-to-end suite against every tested n8n version, one after another.
// `npm run test:compat -- 2.40.7 1.123.81` runs only those. Installs what is missing (verified, as
// `npm start` does) and prints each version's install and test time.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { ensureN8n, repoRoot, selectedRuntime, supportedRuntimes } from './lib/n8n-runtime.mjs';

const requested = process.argv.slice(2);
const keys = requested.length > 0 ? requested : Object.keys(supportedRuntimes);
const seconds = (since) => Math.round((performance.now() - since) / 1000);

const results = [];
for (const key of keys) {
	const runtime = selectedRuntime(key);
	console.log(`\n▶ n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion}`);
	const installStarted = performance.now();
	let installError;
	try {
		await ensureN8n({ runtime });
	} catch (error) {
		installError = error instanceof Error ? error.message : String(error);
		console.error(installError);
	}
	const installSeconds = seconds(installStarted);
	const testStarted = performance.now();
	const run = installError
		? { status: 1 }
		: spawnSync(
				process.execPath,
				[path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/e2e/vitest.config.mts'],
				{ cwd: repoRoot, env: { ...process.env, N8N_ERASURE_N8N: key }, stdio: 'inherit' },
			);
	results.push({
		n8n: runtime.n8nVersion,
		node: runtime.nodeVersion,
		result: installError ? 'install failed' : run.status === 0 ? 'passed' : 'FAILED',
		installSeconds,
		testSeconds: installError ? 0 : seconds(testStarted),
	});
}

console.log('\nCompatibility matrix (end-to-end suite in a real n8n):');
console.log('| n8n | Node.js | result | install or check (s) | e2e suite (s) |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of results) {
	console.log(`| ${row.n8n} | ${row.node} | ${row.result} | ${row.installSeconds} | ${row.testSeconds} |`);
}
process.exitCode = results.every((row) => row.result === 'passed') ? 0 : 1;
