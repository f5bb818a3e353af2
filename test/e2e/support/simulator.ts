import type { LoggedRequest, SimulatorState } from '../../../simulator/index.mjs';
import { e2eContext } from '../context';

/** The simulator's inspection API, seen from a test worker (the simulator runs in the global setup). */
async function inspect<T>(method: 'GET' | 'POST', path: string): Promise<T> {
	const response = await fetch(`${e2eContext().simulatorUrl}/__simulator${path}`, { method });
	if (!response.ok) throw new Error(`simulator ${method} ${path}: HTTP ${response.status}`);
	return (await response.json()) as T;
}

export const simulator = {
	/** Fixtures, knobs and faults back to the start, request log cleared. */
	reset: () => inspect('POST', '/reset'),
	state: () => inspect<SimulatorState>('GET', '/state'),
	requests: async () => (await inspect<{ requests: LoggedRequest[] }>('GET', '/requests')).requests,
};

/** The requests a vendor received, as "METHOD endpoint status" lines. */
export const requestLines = (requests: LoggedRequest[]) =>
	requests.map(({ method, vendor, endpoint, status }) => `${method} ${vendor} ${endpoint} ${status}`);
