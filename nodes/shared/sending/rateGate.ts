import { createHash } from 'crypto';

import { sleep } from 'n8n-workflow';

import type { Connection } from '../vendor/erasureOperation';

/** The second in which a vendor counts at most "Max Requests per Second" arrivals. */
const VENDOR_SECOND_MS = 1000;

/**
 * How much later than it started a request may arrive at the vendor (network and event-loop
 * jitter), beyond how much slower its attempt was than the fastest recent one: a request that left
 * late is answered late by as much. The answer bounds the arrival too: the vendor answered after the
 * request arrived, and a closed connection delivers nothing more.
 */
export const ARRIVAL_HEADROOM_MS = 40;

/** One start: when it was let through and, once its attempt is over, how long that took. */
interface Start {
	startedAt: number;
	/** The latest time its request can arrive at the vendor: unbounded while its attempt is under way. */
	latestArrival: number;
	attemptMs?: number;
	afterPause: boolean;
}

/** A start that was let through: tell it when its attempt is over. */
export interface Turn {
	over(): void;
}

const NO_PACING: Turn = { over: () => {} };

/**
 * The request starts of one vendor account (credential type, base URL and key), shared by every
 * execution in this n8n instance: webhook, schedule and form runs at once draw on one budget.
 * A start waits until it is due on an even grid of `1000 / rate` ms, and until fewer than `rate`
 * earlier requests can arrive within the vendor's second before its own arrival. A request counts
 * until one second after the latest it can have arrived: until its attempt is over, that is not
 * known; then it is its start plus `ARRIVAL_HEADROOM_MS` plus how much longer its attempt took than
 * the fastest recent one, or its end when that came sooner. The first start after a second without
 * any runs cold code paths while the node is still reading items, and was measured arriving more
 * than the headroom late: it counts until its attempt is over. Every attempt, retries and look-ups
 * included, takes a start; waiting callers are served in order.
 */
export class RateGate {
	/** Recent starts, ordered by `latestArrival`. */
	private readonly starts: Start[] = [];

	/**
	 * When the previous start was due. The next is due one interval later, so a timer that fires up
	 * to half an interval late does not delay every start after it. A start later than that (a
	 * pause, or the first start) begins a new grid: nothing is made up in a burst.
	 */
	private lastDue = Number.NEGATIVE_INFINITY;

	private lastStart = Number.NEGATIVE_INFINITY;

	private turn: Promise<Turn> = Promise.resolve(NO_PACING);

	/** Wakes the waiting start when an attempt is over: its count may now be known. */
	private wakeWaiting: (() => void) | undefined;

	async acquire(requestsPerSecond: number): Promise<Turn> {
		if (!(requestsPerSecond > 0)) return NO_PACING;
		const mine = this.turn.then(async () => await this.waitForStart(requestsPerSecond));
		this.turn = mine;
		return await mine;
	}

	private async waitForStart(rate: number): Promise<Turn> {
		const interval = 1000 / rate;
		const perSecond = Math.max(1, Math.floor(rate));
		for (;;) {
			const now = Date.now();
			while (this.starts.length > 0 && this.starts[0].latestArrival <= now - VENDOR_SECOND_MS) this.starts.shift();
			const count = this.starts.length;
			const countedUntil =
				count >= perSecond ? this.starts[count - perSecond].latestArrival + VENDOR_SECOND_MS : Number.NEGATIVE_INFINITY;
			const startAt = Math.max(this.lastDue + interval, countedUntil);
			if (startAt <= now) {
				this.lastDue = now - startAt <= interval / 2 ? startAt : now;
				return this.begin(now);
			}
			if (startAt === Number.POSITIVE_INFINITY) await new Promise<void>((wake) => (this.wakeWaiting = wake));
			else await sleep(startAt - now);
		}
	}

	private begin(now: number): Turn {
		const afterPause = now - this.lastStart > VENDOR_SECOND_MS;
		this.lastStart = now;
		const start: Start = { startedAt: now, latestArrival: Number.POSITIVE_INFINITY, afterPause };
		this.starts.push(start);
		return { over: () => this.attemptOver(start) };
	}

	private attemptOver(start: Start): void {
		if (start.attemptMs !== undefined) return;
		const end = Date.now();
		start.attemptMs = end - start.startedAt;
		const slowerThanFastest = start.attemptMs - this.fastestRecentAttemptMs();
		start.latestArrival = start.afterPause
			? end
			: Math.min(end, start.startedAt + ARRIVAL_HEADROOM_MS + slowerThanFastest);
		this.keepOrdered(this.starts.lastIndexOf(start));
		this.wakeWaiting?.();
		this.wakeWaiting = undefined;
	}

	private fastestRecentAttemptMs(): number {
		let fastest = Number.POSITIVE_INFINITY;
		for (const { attemptMs } of this.starts) if (attemptMs !== undefined && attemptMs < fastest) fastest = attemptMs;
		return fastest;
	}

	/** Moves the start at `index` to its place in the order by `latestArrival`. */
	private keepOrdered(index: number): void {
		const start = this.starts[index];
		let at = index;
		while (at > 0 && this.starts[at - 1].latestArrival > start.latestArrival) {
			this.starts[at] = this.starts[at - 1];
			at--;
		}
		this.starts[at] = start;
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
