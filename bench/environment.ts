import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { engineModules } from './engine.mjs';

export const versionIn = (modulesFolder: string, name: string) =>
	(JSON.parse(readFileSync(path.join(modulesFolder, name, 'package.json'), 'utf8')) as { version: string }).version;

/** What the figures depend on: the machine, how busy it is, and the versions that ran. */
export function describeMachine(): string {
	const [load1, load5, load15] = os.loadavg().map((load) => load.toFixed(2));
	return [
		`Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB memory, ${os.platform()} ${os.release()}`,
		`Load average (1/5/15 min) at the start: ${load1} / ${load5} / ${load15}`,
		`Node.js ${process.version}; engine: n8n-core ${versionIn(engineModules, 'n8n-core')}, n8n-workflow ${versionIn(engineModules, 'n8n-workflow')}`,
	].join('\n');
}
