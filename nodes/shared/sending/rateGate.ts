import { createHash } from 'crypto';

import { sleep } from 'n8n-workflow';

import type { Connection } from '../types/erasureOperation';

/** The second in which a vendor counts at most "Max Requests per Second" arrivals. */
const VENDOR_SECOND_MS = 1000;

/**
 * From 20 a second, a tenth of the rate starts together every slot: one wake-up per start costs
 * more CPU per request.
 */
const SLOT_MS = 100;

/**
 * How much later than its start a request let through alone may arrive at the vendor, beyond how
 * much slower its attempt was than the fastest recent one. Why each constant has its value:
 * docs/design/pacing.md.
 */
export const ARRIVAL_HEADROOM_MS = 5;

/** The same for requests started together in a slot: they leave n8n one after another. */
export const GROUP_ARRIVAL_HEADROOM_MS = 40;

/**
 * How far back the fastest attempt is looked for: longer than a busy second, which slows every
 * attempt in it, the fastest too.
 */
export const FASTEST_ATTEMPT_WINDOW_MS = 10_000;

/** How long a start that would go alone within a slot already begun waits for others to join it. */
export const GATHER_MS = 5;

/** One start: when it was let through. */
interface Start {
	startedAt: number;
	/** The latest time its request can arrive at the vendor: unbounded while its attempt is under way. */
	latestArrival: number;
	/** Started within the first second after a pause (`COLD_SECOND_MS`): it counts until its attempt is over. */
	cold: boolean;
	headroomMs: number;
}

/**
 * After a second without starts, the starts of the next second count until their attempt is over:
 * cold code paths, and no warm attempt to measure them against.
 */
const COLD_SECOND_MS = VENDOR_SECOND_MS;

/** An attempt that is over: when it ended and how long it took. */
interface EndedAttempt {
	endedAt: number;
	attemptMs: number;
}

/** A start that was let through: tell it when its attempt is over. */
export interface Turn {
	over(): void;
}

const NO_PACING: Turn = { over: () => {} };

/**
 * The request starts of one vendor account (credential type, base URL and key), shared by every
 * execution in this n8n instance. Starts are due on an even grid of slots, and a start also waits
 * until fewer than `rate` earlier requests can arrive within the vendor's second before its own
 * arrival. A request counts until one second after the latest it can have arrived: unknown while its
 * attempt is under way; then its start plus its headroom plus how much slower its attempt was than
 * the fastest recent one, or its end when that came sooner. Every attempt, retries and look-ups
 * included, takes a start; waiting callers are served in order.
 */
export class RateGate {
	/** Recent starts, ordered by `latestArrival`. */
	private readonly starts: Start[] = [];

	/**
	 * When the current slot was due. A held-back start does not move the grid (the count already holds
	 * it); only a start asked for or woken a whole slot late begins a new grid, with no burst.
	 */
	private slotDue = Number.NEGATIVE_INFINITY;

	private startsInSlot = 0;

	private lastStart = Number.NEGATIVE_INFINITY;

	private firstStartAfterPause = Number.NEGATIVE_INFINITY;

	private turn: Promise<Turn> = Promise.resolve(NO_PACING);

	/**
	 * Attempts that ended within `FASTEST_ATTEMPT_WINDOW_MS`, each faster than every attempt after it,
	 * so the first is the fastest (a sliding minimum: reading it costs nothing per recent start).
	 */
	private readonly fasterEndedAttempts: EndedAttempt[] = [];

	/** Wakes the waiting start when an attempt is over: its count may now be known. */
	private wakeWaiting: (() => void) | undefined;

	async acquire(requestsPerSecond: number): Promise<Turn> {
		if (!(requestsPerSecond > 0)) return NO_PACING;
		const askedAt = Date.now();
		const mine = this.turn.then(async () => await this.waitForStart(requestsPerSecond, askedAt));
		this.turn = mine;
		return await mine;
	}

	private async waitForStart(rate: number, askedAt: number): Promise<Turn> {
		const perSecond = Math.max(1, Math.floor(rate));
		const perSlot = Math.max(1, Math.floor((rate * SLOT_MS) / VENDOR_SECOND_MS));
		const slotMs = (VENDOR_SECOND_MS * perSlot) / rate;
		let timerLateMs = 0;
		let waited = false;
		for (;;) {
			const now = Date.now();
			while (this.starts.length > 0 && this.starts[0].latestArrival <= now - VENDOR_SECOND_MS) this.starts.shift();
			const count = this.starts.length;
			const countedUntil =
				count >= perSecond ? this.starts[count - perSecond].latestArrival + VENDOR_SECOND_MS : Number.NEGATIVE_INFINITY;
			const inSlot = this.startsInSlot < perSlot && now < this.slotDue + slotMs;
			const due = inSlot ? this.slotDue : this.slotDue + slotMs;
			const startAt = Math.max(due, countedUntil);
			// Asked after the last start and let through mid-slot without waiting, it would go alone. One that
			// waited for the slot or the count goes with the others that waited, or would lose throughput.
			const alone = inSlot && this.startsInSlot > 0 && askedAt > this.lastStart;
			if (startAt <= now && alone && !waited) {
				waited = true;
				await sleep(GATHER_MS);
				continue;
			}
			if (startAt <= now) {
				if (inSlot) this.startsInSlot++;
				else {
					this.slotDue = Math.max(askedAt - due, timerLateMs) < slotMs ? due : now;
					this.startsInSlot = 1;
				}
				return this.begin(now, perSlot > 1 ? GROUP_ARRIVAL_HEADROOM_MS : ARRIVAL_HEADROOM_MS);
			}
			waited = true;
			if (startAt === Number.POSITIVE_INFINITY) {
				await new Promise<void>((wake) => (this.wakeWaiting = wake));
				timerLateMs = 0;
			} else {
				await sleep(startAt - now);
				timerLateMs = Date.now() - startAt;
			}
		}
	}

	private begin(now: number, headroomMs: number): Turn {
		if (now - this.lastStart > VENDOR_SECOND_MS) this.firstStartAfterPause = now;
		this.lastStart = now;
		const cold = now - this.firstStartAfterPause < COLD_SECOND_MS;
		const start: Start = { startedAt: now, latestArrival: Number.POSITIVE_INFINITY, cold, headroomMs };
		this.starts.push(start);
		return { over: () => this.attemptOver(start) };
	}

	private attemptOver(start: Start): void {
		if (start.latestArrival !== Number.POSITIVE_INFINITY) return;
		const end = Date.now();
		const attemptMs = end - start.startedAt;
		const slowerThanFastest = attemptMs - this.fastestRecentAttemptMs({ endedAt: end, attemptMs });
		start.latestArrival = start.cold ? end : Math.min(end, start.startedAt + start.headroomMs + slowerThanFastest);
		this.keepOrdered(this.starts.lastIndexOf(start));
		this.wakeWaiting?.();
		this.wakeWaiting = undefined;
	}

	/** The fastest of the attempts that ended within `FASTEST_ATTEMPT_WINDOW_MS`, `ended` included. */
	private fastestRecentAttemptMs(ended: EndedAttempt): number {
		const attempts = this.fasterEndedAttempts;
		while (attempts.length > 0 && attempts[attempts.length - 1].attemptMs >= ended.attemptMs) attempts.pop();
		attempts.push(ended);
		while (attempts[0].endedAt <= ended.endedAt - FASTEST_ATTEMPT_WINDOW_MS) attempts.shift();
		return attempts[0].attemptMs;
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

/**
 * A vendor account for pacing: the credential type, the host it talks to and a digest of what
 * identifies the account (its key; for OAuth2 the client, never the token, which n8n renews).
 */
function vendorAccount(connection: Connection): string {
	const key = createHash('sha256')
		.update((connection.account ?? connection.secrets).join('\u0000'))
		.digest('hex');
	return `${connection.credentialType} ${connection.baseUrl} ${key}`;
}
