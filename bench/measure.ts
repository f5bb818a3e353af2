/** Wall time, CPU time and peak memory of one benchmark run, sampled while it runs. */
export interface Measurement<T> {
	result: T;
	/** When the run started, in epoch milliseconds (as the simulator logs request arrivals). */
	startedAt: number;
	wallMs: number;
	cpuMs: number;
	/** Growth over the heap in use before the run (after a full GC). */
	peakHeapMb: number;
	/** Growth over the resident set before the run: near 0 when an earlier, larger run left pages behind. */
	peakRssMb: number;
	/** The whole process's resident set at its peak during the run. */
	processPeakRssMb: number;
	/** Heap still in use after a full GC, while the result is still held. */
	retainedHeapMb: number;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** How long after a run its data may still be let go (see `settledHeapUsed`). */
const SETTLE_MS = 1500;

/**
 * The heap in use once garbage is collected. A run's data is let go only on later turns of the event
 * loop, and not always by the next: after Bloomreach runs of 100k customers, 28 MB came free 0.7–1.1 s
 * after the run, once three full collections in a row had freed nothing. So collect for `SETTLE_MS`
 * at least, and until three collections in a row free less than 1 MB.
 */
async function settledHeapUsed(): Promise<number> {
	const started = performance.now();
	let heapUsed = Number.POSITIVE_INFINITY;
	for (let unchanged = 0; unchanged < 3 || performance.now() - started < SETTLE_MS;) {
		await new Promise((resolve) => setTimeout(resolve, 20));
		collectGarbage();
		const now = process.memoryUsage().heapUsed;
		unchanged = heapUsed - now < 2 ** 20 ? unchanged + 1 : 0;
		heapUsed = now;
	}
	return heapUsed;
}

export async function measure<T>(run: () => Promise<T>): Promise<Measurement<T>> {
	const heapBefore = await settledHeapUsed();
	const rssBefore = process.memoryUsage().rss;
	let peakHeap = heapBefore;
	let peakRss = rssBefore;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakHeap = Math.max(peakHeap, now.heapUsed);
		peakRss = Math.max(peakRss, now.rss);
	}, 10);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = await run();
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	const after = process.memoryUsage();
	peakHeap = Math.max(peakHeap, after.heapUsed);
	peakRss = Math.max(peakRss, after.rss);
	const retained = (await settledHeapUsed()) - heapBefore;
	return {
		result,
		startedAt: performance.timeOrigin + started,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		peakHeapMb: (peakHeap - heapBefore) / 2 ** 20,
		peakRssMb: (peakRss - rssBefore) / 2 ** 20,
		processPeakRssMb: peakRss / 2 ** 20,
		retainedHeapMb: retained / 2 ** 20,
	};
}

export function printTable(title: string, rows: Array<Record<string, string | number>>) {
	const lines = [`\n## ${title}`];
	if (rows.length === 0) return;
	const columns = Object.keys(rows[0]);
	const cell = (value: string | number) => (typeof value === 'number' ? formatNumber(value) : value);
	lines.push(`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`);
	for (const row of rows) lines.push(`| ${columns.map((column) => cell(row[column])).join(' | ')} |`);
	process.stdout.write(`${lines.join('\n')}\n`);
}

function formatNumber(value: number) {
	if (Number.isInteger(value)) return String(value);
	return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

export function verdict(name: string, pass: boolean, detail: string) {
	process.stdout.write(`${pass ? 'PASS' : 'FAIL'}  ${name}: ${detail}\n`);
}
