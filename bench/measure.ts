/** Wall time, CPU time and peak memory of one benchmark run, sampled while it runs. */
export interface Measurement<T> {
	result: T;
	wallMs: number;
	cpuMs: number;
	peakHeapMb: number;
	peakRssMb: number;
	/** Heap still in use after a full GC, while the result is still held. */
	retainedHeapMb: number;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

export async function measure<T>(run: () => Promise<T>): Promise<Measurement<T>> {
	collectGarbage();
	const before = process.memoryUsage();
	let peakHeap = before.heapUsed;
	let peakRss = before.rss;
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
	collectGarbage();
	const retained = process.memoryUsage().heapUsed - before.heapUsed;
	return {
		result,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		peakHeapMb: (peakHeap - before.heapUsed) / 2 ** 20,
		peakRssMb: (peakRss - before.rss) / 2 ** 20,
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
