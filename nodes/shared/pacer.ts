import { sleep } from 'n8n-workflow';

export interface PacingPlan {
	requestsPerBatch: number;
	batchIntervalMs: number;
	maxConcurrentRequests: number;
	maxRequestsPerSecond: number;
}

/**
 * The window in which at most "Max Requests per Second" requests start: one second plus a headroom
 * for requests that arrive at the vendor closer together than they left (network and event-loop
 * jitter), so the vendor's limiter sees at most that many in any second it counts. Costs about 4%
 * of the configured rate.
 */
export const RATE_WINDOW_MS = 1040;

/**
 * The request starts of one vendor account (credential type, base URL and key), shared by every
 * execution in this n8n instance: webhook, schedule and form runs at once draw on one budget.
 * A start waits until it is both `1000 / rate` ms after the previous start and fewer than `rate`
 * starts fall in the last `RATE_WINDOW_MS`. Every attempt, retries and look-ups included, takes a
 * start; waiting callers are served in order.
 */
export class RateGate {
	private readonly starts: number[] = [];

	private turn: Promise<void> = Promise.resolve();

	async acquire(requestsPerSecond: number): Promise<void> {
		if (!(requestsPerSecond > 0)) return;
		const mine = this.turn.then(async () => await this.waitForStart(requestsPerSecond));
		this.turn = mine;
		await mine;
	}

	private async waitForStart(rate: number): Promise<void> {
		for (;;) {
			const now = Date.now();
			while (this.starts.length > 0 && this.starts[0] <= now - RATE_WINDOW_MS) this.starts.shift();
			const count = this.starts.length;
			const spaced = count > 0 ? this.starts[count - 1] + 1000 / rate : now;
			const perWindow = Math.max(1, Math.floor(rate));
			const windowed = count >= perWindow ? this.starts[count - perWindow] + RATE_WINDOW_MS : now;
			const startAt = Math.max(spaced, windowed);
			if (startAt <= now) {
				this.starts.push(now);
				return;
			}
			await sleep(startAt - now);
		}
	}
}

const gatesByAccount = new Map<string, RateGate>();

/** The one gate of a vendor account in this n8n instance (see `RateGate`). */
export function rateGateFor(account: string): RateGate {
	let gate = gatesByAccount.get(account);
	if (!gate) gatesByAccount.set(account, (gate = new RateGate()));
	return gate;
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
