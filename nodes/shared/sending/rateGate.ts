import { createHash } from 'crypto';

import { sleep } from 'n8n-workflow';

import type { Connection } from '../types/erasureOperation';

/** The second in which a vendor counts at most "Max Requests per Second" arrivals. */
const VENDOR_SECOND_MS = 1000;

/**
 * Starts due together. One start per wake-up cost more CPU per request than n8n's HTTP Request node
 * sending a whole batch at once (the same network calls, each from a machine gone idle); a tenth of
 * a second's worth at once costs less, and counting recent starts keeps every vendor second within
 * the rate.
 */
const SLOT_MS = 100;

/**
 * How much later than it started a request may arrive at the vendor (network and event-loop
 * jitter), beyond how much slower its attempt was than the fastest recent one: a request that left
 * late is answered late by as much. The answer bounds the arrival too: the vendor answered after the
 * request arrived, and a closed connection delivers nothing more. What is left to cover is mostly
 * the millisecond clock, at the start and at the answer. A real n8n sending one request at a time at
 * 10 a second used at most 1.3 ms of a 10 ms headroom (any 11 arrivals spanned at least 1008.7 ms),
 * and at most 1 ms of this one (1004.0 ms).
 */
export const ARRIVAL_HEADROOM_MS = 5;

/**
 * The headroom of a request started with others in one slot: started together, they leave n8n one
 * after another. With 20 ms, up to 254 requests arrived within one second at 250 a second.
 */
export const GROUP_ARRIVAL_HEADROOM_MS = 40;

/**
 * How far back the fastest attempt is looked for. Not one second: an event loop busy for a second
 * slows every attempt of that second, the fastest too, which then hides how late the others left
 * (requests arrived 20–30 ms beyond the headroom at 250 a second). A vendor that turns slow is
 * counted until its answers for as long.
 */
export const FASTEST_ATTEMPT_WINDOW_MS = 10_000;

/**
 * How long a start that could go within a slot already begun waits for others to go with it. With
 * fewer concurrent requests than a slot's starts, each start otherwise follows the answer before it,
 * alone: at 250 a second with 10 concurrent, 2.35 requests arrived per millisecond they arrived in,
 * and a request sent alone cost 1.6 times the CPU of one sent with two or more.
 */
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
 * How long after a second without any starts count until their attempt is over. The first runs
 * cold code paths while the node is still reading items, and was measured arriving more than the
 * headroom late; the attempts of that first second are measured only against each other, and when
 * all of them were read late (a node still reading items, a collection), a request that left late
 * looks barely slower than the fastest: at 250 a second, 253 requests arrived within one second,
 * 0.11 s after the first.
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
 * execution in this n8n instance: webhook, schedule and form runs at once draw on one budget.
 * Starts are let through in slots on an even grid: a tenth of the rate every 100 ms (one start every
 * `1000 / rate` ms below 20 a second). A start also waits until fewer than `rate` earlier requests
 * can arrive within the vendor's second before its own arrival. A request counts until one second
 * after the latest it can have arrived: until its attempt is over, that is not known; then it is its
 * start plus its headroom (`ARRIVAL_HEADROOM_MS`, or `GROUP_ARRIVAL_HEADROOM_MS` in slots of several
 * starts) plus how much longer its attempt took than the fastest recent one, or its end when that
 * came sooner. The starts of the first second after a second without any (`COLD_SECOND_MS`)
 * count until their attempt is over. Every attempt, retries and look-ups included, takes a start;
 * waiting callers are served in order.
 */
export class RateGate {
	/** Recent starts, ordered by `latestArrival`. */
	private readonly starts: Start[] = [];

	/**
	 * When the current slot was due. The next is due one slot later even when this one started later:
	 * held back by the count, by a timer that fired late or by a caller that asked late (sending one
	 * request at a time, the caller asks when the answer before came). Moving the grid by each such
	 * delay added them up over a run, while the count already holds every start for as long as it
	 * must. A start asked for or woken a whole slot late or more (a pause, or the first start) begins a
	 * new grid: nothing is made up in a burst.
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
		start.latestArrival = start.cold
			? end
			: Math.min(end, start.startedAt + start.headroomMs + slowerThanFastest);
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
	const key = createHash('sha256').update((connection.account ?? connection.secrets).join('\u0000')).digest('hex');
	return `${connection.credentialType} ${connection.baseUrl} ${key}`;
}
