import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';

import { type Simulator, type SimulatorOptions, startSimulator } from '../../simulator/index.mjs';

/**
 * A vendor simulator on 127.0.0.1 for the tests of one `describe`: started before them, with
 * loopback let through nock, and stopped after. Returns a getter (the simulator exists only once
 * `beforeAll` has run).
 */
export function simulatorForTests(options: SimulatorOptions): () => Simulator {
	let simulator: Simulator | undefined;
	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		simulator = await startSimulator(options);
	});
	afterAll(async () => {
		await simulator?.close();
		nock.disableNetConnect();
	});
	return () => simulator!;
}
