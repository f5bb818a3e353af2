/**
 * The vendor simulator in a child process, so that the CPU time and memory the benchmark measures
 * are n8n's and the node's alone. Driven through its inspection API; its garbage collections are
 * recorded (see `simulatorPauses.mjs`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type {
	ConfigPatch,
	Credentials,
	LoggedRequest,
	RequestCounts,
	SimulatorState,
	VendorName,
} from '../simulator/index.mjs';

export interface SimulatorProcess {
	url: string;
	credentials: Credentials;
	configure(patch: ConfigPatch): Promise<void>;
	/** Fixtures and generated people back, start configuration back, request log cleared. */
	reset(): Promise<void>;
	/** The counts per vendor, endpoint and status, and the log entries of one vendor's requests. */
	requests(vendor: VendorName): Promise<{ counts: RequestCounts; requests: LoggedRequest[] }>;
	state<V extends VendorName>(vendor: V): Promise<SimulatorState[V]>;
	/** The simulator's garbage collections that overlap the epoch-millisecond span from `from` to `to`. */
	collectionsBetween(from: number, to: number): Collection[];
	close(): Promise<void>;
}

/** One garbage collection in the simulator's process: while it ran, no request was stamped. */
export interface Collection {
	startedAt: number;
	durationMs: number;
	kind: string;
}

const CLI = fileURLToPath(new URL('../simulator/cli.mjs', import.meta.url));
const PAUSE_REPORTER = fileURLToPath(new URL('./simulatorPauses.mjs', import.meta.url));
const STARTUP_TIMEOUT_MS = 120_000;

export async function startSimulatorProcess(cliArguments: string[]): Promise<SimulatorProcess> {
	const child = spawn(process.execPath, ['--import', PAUSE_REPORTER, CLI, '--port', '0', ...cliArguments], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const collections = recordCollections(child);
	// A benchmark that dies half-way must not leave the simulator running.
	const stopChild = () => child.kill('SIGTERM');
	process.once('exit', stopChild);
	const url = await listeningUrl(child);
	const call = async (method: string, route: string, body?: unknown) => {
		const response = await fetch(`${url}/__simulator/${route}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`Simulator ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
		return (await response.json()) as unknown;
	};
	const { credentials } = (await call('GET', 'config')) as { credentials: Credentials };
	return {
		url,
		credentials,
		configure: async (patch) => void (await call('POST', 'config', patch)),
		reset: async () => void (await call('POST', 'reset')),
		requests: async (vendor) =>
			(await call('GET', `requests?vendor=${vendor}`)) as { counts: RequestCounts; requests: LoggedRequest[] },
		state: async (vendor) => (await call('GET', `state?vendor=${vendor}`)) as SimulatorState[typeof vendor],
		collectionsBetween: (from, to) =>
			collections.filter(
				(collection) => collection.startedAt <= to && collection.startedAt + collection.durationMs >= from,
			),
		close: () =>
			new Promise((resolve) => {
				process.off('exit', stopChild);
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}

function listeningUrl(child: ChildProcess): Promise<string> {
	return new Promise((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => fail(new Error('The simulator did not start in time')), STARTUP_TIMEOUT_MS);
		const fail = (error: Error) => {
			clearTimeout(timer);
			child.kill('SIGTERM');
			reject(error);
		};
		child.once('exit', (code) => fail(new Error(`The simulator exited with code ${code}: ${output}`)));
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (!found) return;
			clearTimeout(timer);
			child.removeAllListeners('exit');
			child.stdout?.off('data', onData);
			resolve(found[1]);
		};
		child.stdout?.on('data', onData);
	});
}

/**
 * The shortest span of `limit + 1` arrivals less one second: how much earlier any of them could have
 * come with no more than `limit` in any one second (below 0 when more came; infinite when no more
 * than `limit` were sent). `sorted` by arrival.
 */
export function arrivalMarginMs(sorted: LoggedRequest[], limit: number): number {
	let shortestSpan = Number.POSITIVE_INFINITY;
	for (let first = 0; first + limit < sorted.length; first++) {
		shortestSpan = Math.min(shortestSpan, sorted[first + limit].at - sorted[first].at);
	}
	return shortestSpan - 1000;
}

/** The `gc <epoch ms> <duration ms> <kind>` lines the pause reporter prints, as they come. */
function recordCollections(child: ChildProcess): Collection[] {
	const collections: Collection[] = [];
	let partial = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		const lines = (partial + chunk.toString()).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) {
			const found = /^gc (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (.+)$/.exec(line);
			if (found) collections.push({ startedAt: Number(found[1]), durationMs: Number(found[2]), kind: found[3] });
		}
	});
	return collections;
}
