import { sleep } from 'n8n-workflow';

export interface PacingPlan {
	requestsPerBatch: number;
	batchIntervalMs: number;
	maxConcurrentRequests: number;
	maxRequestsPerSecond: number;
}

/**
 * Spaces request starts so that no more than `maxRequestsPerSecond` begin in
 * any second. Every attempt, retries included, takes a slot.
 */
export class RateGate {
	private nextSlot = 0;

	private readonly spacingMs: number;

	constructor(requestsPerSecond: number) {
		this.spacingMs = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
	}

	async acquire(): Promise<void> {
		if (this.spacingMs === 0) return;
		const now = Date.now();
		const slot = Math.max(now, this.nextSlot);
		this.nextSlot = slot + this.spacingMs;
		if (slot > now) await sleep(slot - now);
	}
}

/**
 * Runs `send(0..count-1)` in order of start: batch after batch with the batch
 * interval between them, up to `maxConcurrentRequests` in flight within a batch.
 * Once `shouldStop()` is true no further request starts.
 */
export async function runPaced(
	count: number,
	plan: PacingPlan,
	send: (index: number) => Promise<void>,
	shouldStop: () => boolean,
): Promise<void> {
	for (let batchStart = 0; batchStart < count; batchStart += plan.requestsPerBatch) {
		if (batchStart > 0 && plan.batchIntervalMs > 0) await sleep(plan.batchIntervalMs);
		if (shouldStop()) return;
		const batchEnd = Math.min(count, batchStart + plan.requestsPerBatch);
		let next = batchStart;
		const worker = async () => {
			while (next < batchEnd && !shouldStop()) {
				await send(next++);
			}
		};
		const workers = Math.min(plan.maxConcurrentRequests, batchEnd - batchStart);
		await Promise.all(Array.from({ length: workers }, worker));
	}
}
