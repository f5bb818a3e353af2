// Which n8n engine the benchmark runs the nodes in: this repository's n8n-core and n8n-workflow
// (the default), or those of an installed n8n version when `BENCH_ENGINE` names one (see
// `npm run bench:engine`), so the same tables can be made on the n8n people run today.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_RUNTIME, selectedRuntime } from '../scripts/lib/n8n-runtime.mjs';

const ENGINE_PACKAGES = ['n8n-workflow', 'n8n-core', '@n8n/di', '@n8n/backend-common'];

const engineRuntimeKey = process.env.BENCH_ENGINE;

export const engineModules = engineRuntimeKey
	? selectedRuntime(engineRuntimeKey).modulesDir
	: fileURLToPath(new URL('../node_modules', import.meta.url));

export const httpRequestRuntime = selectedRuntime(engineRuntimeKey ?? DEFAULT_RUNTIME);

export function engineAliases() {
	const resolveFrom = createRequire(path.join(engineModules, 'n8n-core', 'package.json'));
	return Object.fromEntries(ENGINE_PACKAGES.map((name) => [name, resolveFrom.resolve(name)]));
}
