/**
 * The vendor simulator in a child process, so that the CPU time and memory the benchmark measures
 * are n8n's and the node's alone. Driven through its inspection API.
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
	close(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../simulator/cli.mjs', import.meta.url));
const STARTUP_TIMEOUT_MS = 120_000;

export async function startSimulatorProcess(cliArguments: string[]): Promise<SimulatorProcess> {
	const child = spawn(process.execPath, [CLI, '--port', '0', ...cliArguments], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
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
		child.stdout?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (!found) return;
			clearTimeout(timer);
			child.removeAllListeners('exit');
			child.stdout?.removeAllListeners('data');
			child.stdout?.resume();
			resolve(found[1]);
		});
	});
}
