import { sleep } from 'n8n-workflow';

export interface PacingPlan {
	requestsPerBatch: number;
	batchIntervalMs: number;
	maxConcurrentRequests: number;
	maxRequestsPerSecond: number;
}

/**
 * Spaces request starts so that no more than `maxRequestsPerSecond` begin in
 * any second. Every attempt, retries included, takes a turn. Turns are taken
 * one after another and each is spaced from the moment the previous one really
 * started, so a timer that fires late never squeezes the next gap.
 */
export class RateGate {
	private lastStart = Number.NEGATIVE_INFINITY;

	private turns: Promise<void> = Promise.resolve();

	private readonly spacingMs: number;

	constructor(requestsPerSecond: number) {
		this.spacingMs = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
	}

	async acquire(): Promise<void> {
		if (this.spacingMs === 0) return;
		const turn = this.turns.then(async () => {
			const waitMs = this.lastStart + this.spacingMs - Date.now();
			if (waitMs > 0) await sleep(waitMs);
			this.lastStart = Date.now();
		});
		this.turns = turn;
		await turn;
	}
}

/**
 * Runs `send(0..count-1)` in order of start: batch after batch with the batch
 * interval between them, up to `maxConcurrentRequests` in flight within a batch.
 * Without a batch interval all requests form one batch: waiting for the slowest
 * request of each batch before starting the next would only slow the run down.
 * Once `shouldStop()` is true no further request starts.
 */
export async function runPaced(
	count: number,
	plan: PacingPlan,
	send: (index: number) => Promise<void>,
	shouldStop: () => boolean,
): Promise<void> {
	const batchSize = plan.batchIntervalMs > 0 ? plan.requestsPerBatch : count;
	for (let batchStart = 0; batchStart < count; batchStart += batchSize) {
		if (batchStart > 0) await sleep(plan.batchIntervalMs);
		if (shouldStop()) return;
		const batchEnd = Math.min(count, batchStart + batchSize);
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
