import { createHash } from 'crypto';

import { sleep } from 'n8n-workflow';

import type { Connection } from '../vendor/erasureOperation';

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
 * A start waits until it is both due on an even grid of `1000 / rate` ms and fewer than `rate`
 * starts fall in the last `RATE_WINDOW_MS`. Every attempt, retries and look-ups included, takes a
 * start; waiting callers are served in order.
 */
export class RateGate {
	private readonly starts: number[] = [];

	/**
	 * When the previous start was due. The next is due one interval later, so a timer that fires up
	 * to half an interval late does not delay every start after it. A start later than that (a
	 * pause, or the first start) begins a new grid: nothing is made up in a burst.
	 */
	private lastDue = Number.NEGATIVE_INFINITY;

	private turn: Promise<void> = Promise.resolve();

	async acquire(requestsPerSecond: number): Promise<void> {
		if (!(requestsPerSecond > 0)) return;
		const mine = this.turn.then(async () => await this.waitForStart(requestsPerSecond));
		this.turn = mine;
		await mine;
	}

	private async waitForStart(rate: number): Promise<void> {
		const interval = 1000 / rate;
		const perWindow = Math.max(1, Math.floor(rate));
		for (;;) {
			const now = Date.now();
			while (this.starts.length > 0 && this.starts[0] <= now - RATE_WINDOW_MS) this.starts.shift();
			const count = this.starts.length;
			const windowed = count >= perWindow ? this.starts[count - perWindow] + RATE_WINDOW_MS : Number.NEGATIVE_INFINITY;
			const startAt = Math.max(this.lastDue + interval, windowed);
			if (startAt <= now) {
				this.starts.push(now);
				this.lastDue = now - startAt <= interval / 2 ? startAt : now;
				return;
			}
			await sleep(startAt - now);
		}
	}
}

const gatesByAccount = new Map<string, RateGate>();

/** The one gate of a vendor account in this n8n instance (see `RateGate`). */
export function rateGateFor(connection: Connection): RateGate {
	const account = vendorAccount(connection);
	let gate = gatesByAccount.get(account);
	if (!gate) gatesByAccount.set(account, (gate = new RateGate()));
	return gate;
}

/** A vendor account for pacing: the credential type, the host it talks to and a digest of its key. */
function vendorAccount(connection: Connection): string {
	const key = createHash('sha256').update(connection.secrets.join('\u0000')).digest('hex');
	return `${connection.credentialType} ${connection.baseUrl} ${key}`;
}
