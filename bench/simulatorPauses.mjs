/**
 * Loaded into the simulator's process by the benchmark (`node --import`): prints each of its garbage
 * collections as `gc <epoch ms> <duration ms> <kind>` on standard output. The simulator stamps a
 * request when its event loop takes it, so a collection there bunches the stamps of the requests
 * that arrived meanwhile; the benchmark lays these pauses beside a second with too many arrivals.
 */
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';

const KINDS = {
	[constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
	[constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
	[constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
	[constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		const startedAt = performance.timeOrigin + entry.startTime;
		process.stdout.write(
			`gc ${startedAt.toFixed(1)} ${entry.duration.toFixed(1)} ${KINDS[entry.detail?.kind] ?? 'other'}\n`,
		);
	}
}).observe({ entryTypes: ['gc'] });
