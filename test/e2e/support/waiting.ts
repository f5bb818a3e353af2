/** Polls `probe` until it gives a value; fails naming `what` after `timeoutMs`. */
export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	{ timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await probe();
		if (found !== undefined) return found;
		if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** Polls `condition` until it holds; fails with `failure()` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, failure: () => string) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(failure());
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
