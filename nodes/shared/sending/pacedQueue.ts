import { sleep } from 'n8n-workflow';

/** Batches and concurrency; the requests per second are the rate gate's (see rateGate.ts). */
export interface PacingPlan {
	requestsPerBatch: number;
	batchIntervalMs: number;
	maxConcurrentRequests: number;
}

/** Requests in the order they are planned; a reader waits for the next one until the queue closes. */
export class RequestQueue<T> {
	private readonly entries: T[] = [];

	private closed = false;

	private waiting: Array<() => void> = [];

	push(entry: T): void {
		this.entries.push(entry);
		this.wakeUp();
	}

	close(): void {
		this.closed = true;
		this.wakeUp();
	}

	/** The entry at `index` once it is there; undefined when the queue closed before it. */
	async at(index: number): Promise<T | undefined> {
		while (index >= this.entries.length && !this.closed) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		return this.entries[index];
	}

	private wakeUp(): void {
		const waiting = this.waiting;
		this.waiting = [];
		for (const resolve of waiting) resolve();
	}
}

/**
 * Sends the queued requests in order of start: batch after batch with the batch
 * interval between them, up to `maxConcurrentRequests` in flight within a batch.
 * Without a batch interval all requests form one batch: waiting for the slowest
 * request of each batch before starting the next would only slow the run down.
 * Once `shouldStop()` is true no further request starts.
 */
export async function runPaced<T>(
	queue: RequestQueue<T>,
	plan: PacingPlan,
	send: (entry: T) => Promise<void>,
	shouldStop: () => boolean,
): Promise<void> {
	const batchSize = plan.batchIntervalMs > 0 ? plan.requestsPerBatch : Number.POSITIVE_INFINITY;
	for (let batchStart = 0; !shouldStop() && (await queue.at(batchStart)) !== undefined; batchStart += batchSize) {
		if (batchStart > 0) {
			await sleep(plan.batchIntervalMs);
			if (shouldStop()) return;
		}
		const batchEnd = batchStart + batchSize;
		let next = batchStart;
		const worker = async () => {
			while (next < batchEnd && !shouldStop()) {
				const entry = await queue.at(next++);
				if (entry === undefined) return;
				await send(entry);
			}
		};
		await Promise.all(Array.from({ length: Math.min(plan.maxConcurrentRequests, batchSize) }, worker));
	}
}
