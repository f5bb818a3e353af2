// Runs the harness benchmarks (dry run and throughput) in the engine of an installed n8n version,
// on that version's Node.js: `npm run bench:engine -- 2.40.7`. Installs that n8n when missing.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { ensureN8n, repoRoot, selectedRuntime } from './lib/n8n-runtime.mjs';

const key = process.argv[2] ?? '2.40.7';
const runtime = await ensureN8n({ runtime: selectedRuntime(key) });
console.log(`Benchmarks in the engine of n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion}`);
const vitest = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const files = ['bench/dryRun.bench.ts', 'bench/throughput.bench.ts'];
const result = spawnSync(runtime.nodeBin, [vitest, 'run', '--config', 'bench/vitest.config.mts', ...files], {
	cwd: repoRoot,
	env: { ...process.env, BENCH_ENGINE: key },
	stdio: 'inherit',
});
process.exit(result.status ?? 1);
