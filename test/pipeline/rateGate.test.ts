import type { IExecuteFunctions } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
	ARRIVAL_HEADROOM_MS,
	GATHER_MS,
	GROUP_ARRIVAL_HEADROOM_MS,
	RateGate,
} from '../../nodes/shared/sending/rateGate';
import { deliver } from '../../nodes/shared/sending/transport';

/**
 * The gate on a fake clock, so that "a timer fired late" is exact: `setSystemTime` moves the clock
 * without firing the timer, which then fires that much late.
 */
describe('the rate gate', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: 1_000_000 });
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	/** Starts `count` acquisitions one after another and records when each was let through. */
	function startTimes(gate: RateGate, rate: number, count: number) {
		const times: number[] = [];
		const done = (async () => {
			for (let index = 0; index < count; index++) {
				const turn = await gate.acquire(rate);
				times.push(Date.now());
				turn.over();
			}
		})();
		return { times, done };
	}

	const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]);

	it('lets the first start through at once and spaces the next ones one interval apart', async () => {
		const { times, done } = startTimes(new RateGate(), 10, 4);
		await vi.runAllTimersAsync();
		await done;

		expect(times[0]).toBe(1_000_000);
		expect(gaps(times)).toEqual([100, 100, 100]);
	});

	/** How many starts were let through at each moment, in order. */
	const startsAtOnce = (times: number[]) =>
		[...new Set(times)].map((time) => [time - times[0], times.filter((t) => t === time).length]);

	it('from 20 a second, lets a tenth of the rate through at once every 100 ms', async () => {
		const { times, done } = startTimes(new RateGate(), 50, 12);
		await vi.runAllTimersAsync();
		await done;

		expect(startsAtOnce(times)).toEqual([
			[0, 5],
			[100, 5],
			[200, 2],
		]);
	});

	it('lets a start that would go alone within a slot already begun wait a few ms for others to go with it', async () => {
		// 250 a second (25 a slot), 10 callers at once, each attempt taking 25 ms + its caller's number:
		// one start after each answer, alone, costs more CPU than starts made together.
		const gate = new RateGate();
		const times: number[] = [];
		const caller = async (number: number) => {
			while (times.length < 35) {
				const turn = await gate.acquire(250);
				times.push(Date.now());
				await new Promise((resolve) => setTimeout(resolve, 25 + number));
				turn.over();
			}
		};
		const done = Promise.all(Array.from({ length: 10 }, (_, number) => caller(number)));
		await vi.runAllTimersAsync();
		await done;

		expect(GATHER_MS).toBe(5);
		// At 25 the first answer's caller waits until 30 for the five answered meanwhile; at 31 the next
		// waits until 36 for three more; the slot's last five start at 60; the rest wait for the next slot.
		expect(startsAtOnce(times.slice(0, 35))).toEqual([
			[0, 10],
			[30, 6],
			[36, 4],
			[60, 5],
			[100, 10],
		]);
	});

	/** `before` starts, 5 s without any, then `after` starts: when each of those was let through. */
	async function startTimesAfterPause(rate: number, before: number, after: number) {
		const gate = new RateGate();
		const first = startTimes(gate, rate, before);
		await vi.runAllTimersAsync();
		await first.done;
		await vi.advanceTimersByTimeAsync(5_000);

		const second = startTimes(gate, rate, after);
		await vi.runAllTimersAsync();
		await second.done;
		return second.times;
	}

	it('does not add what a slot left unused before a pause to the first slot after it', async () => {
		expect(startsAtOnce(await startTimesAfterPause(50, 3, 7))).toEqual([
			[0, 5],
			[100, 2],
		]);
	});

	it('keeps a limit below one request per second: 0.5 per second is one start every 2 s', async () => {
		const { times, done } = startTimes(new RateGate(), 0.5, 3);
		await vi.runAllTimersAsync();
		await done;

		expect(gaps(times)).toEqual([2000, 2000]);
	});

	/** Four starts at 10 per second, the second one's timer firing `lateMs` late. */
	async function withSecondTimerLate(lateMs: number) {
		const gate = new RateGate();
		const times: number[] = [];
		const all = Array.from({ length: 4 }, async () => {
			const turn = await gate.acquire(10);
			times.push(Date.now());
			turn.over();
		});
		await vi.advanceTimersByTimeAsync(0);
		vi.setSystemTime(Date.now() + lateMs);
		await vi.runAllTimersAsync();
		await Promise.all(all);
		return gaps(times);
	}

	it('keeps the grid when a timer fires less than an interval late: the next start is not delayed', async () => {
		expect(await withSecondTimerLate(30)).toEqual([130, 70, 100]);
		expect(await withSecondTimerLate(80)).toEqual([180, 20, 100]);
	});

	it('begins a new grid after a start an interval or more late: nothing is made up in a burst', async () => {
		expect(await withSecondTimerLate(100)).toEqual([200, 100, 100]);
		expect(await withSecondTimerLate(250)).toEqual([350, 100, 100]);
	});

	it('after an idle pause, the start that follows the first is still a whole interval later', async () => {
		expect(gaps(await startTimesAfterPause(10, 2, 3))).toEqual([100, 100]);
	});

	/**
	 * One caller starting a request per entry at `rate` a second, the n-th answered `answerMs[n]` after
	 * its start; it asks for the next start at once, or only once the answer came (one request at a time).
	 */
	async function startGaps(rate: number, answerMs: number[], oneAtATime = false) {
		const gate = new RateGate();
		const times: number[] = [];
		const caller = (async () => {
			for (const delay of answerMs) {
				const turn = await gate.acquire(rate);
				times.push(Date.now());
				const answered = new Promise<void>((resolve) =>
					setTimeout(() => {
						turn.over();
						resolve();
					}, delay),
				);
				if (oneAtATime) await answered;
			}
		})();
		await vi.runAllTimersAsync();
		await caller;
		return gaps(times);
	}

	const sequentialStartsTaking = async (attemptMs: number[]) => await startGaps(10, attemptMs, true);

	it('keeps the grid when a caller sending one request at a time asks less than an interval late', async () => {
		// The fourth caller asks at 390 ms, 90 ms after its start was due: the fifth is due at 400 ms.
		expect(await sequentialStartsTaking([130, 130, 130, 10, 10, 10])).toEqual([130, 130, 130, 10, 100]);
	});

	it('begins a new grid when a caller asks an interval or more late', async () => {
		// The fifth caller asks at 520 ms, 120 ms after its start was due: the sixth is due at 620 ms.
		expect(await sequentialStartsTaking([130, 130, 130, 130, 10, 10])).toEqual([130, 130, 130, 130, 100]);
	});

	it.each([
		{ rate: 10, headroomMs: ARRIVAL_HEADROOM_MS, started: 'alone' },
		{ rate: 20, headroomMs: GROUP_ARRIVAL_HEADROOM_MS, started: 'in groups' },
	])(
		'with attempts ending without an answer, lets no more than $rate start within one second plus $headroomMs ms (started $started), however many callers wait at once',
		async ({ rate, headroomMs }) => {
			const gate = new RateGate();
			const times: number[] = [];
			const all = Promise.all(
				Array.from({ length: 3 * rate }, async () => {
					const turn = await gate.acquire(rate);
					times.push(Date.now());
					setTimeout(() => turn.over(), 100);
				}),
			);
			await vi.runAllTimersAsync();
			await all;

			expect(times).toHaveLength(3 * rate);
			const spans = times.slice(rate).map((time, index) => time - times[index]);
			expect(Math.min(...spans)).toBe(1000 + headroomMs);
		},
	);

	/** Starts one after another at 2 per second, the n-th answered `answerMs[n]` after it started. */
	const startsAnsweredAfter = async (answerMs: number[]) => await startGaps(2, answerMs);

	it('counts an answered request until one second after its answer, when that came before the headroom ran out', async () => {
		// The third start (1003 ms, after the first second) is answered after 3 ms, so the fifth may
		// start 1000 ms after that answer (2006 ms), not 1000 ms after its start plus the headroom.
		expect(ARRIVAL_HEADROOM_MS).toBeGreaterThan(3);
		expect(await startsAnsweredAfter([3, 3, 3, 3, 3])).toEqual([500, 503, 500, 503]);
	});

	it('counts the first start after a pause until its attempt is over, however long that took', async () => {
		expect(await startsAnsweredAfter([300, 10, 10])).toEqual([500, 800]);
	});

	it('keeps the grid when the count holds a start back: the start after it is due when it was', async () => {
		// The first start counts until its answer at 300 ms, so the third starts at 1300 ms instead of
		// 1000; the fourth is due at 1500 ms and starts when the count lets it: 1000 ms after the
		// second start's answer (1510 ms), not a whole interval after the third (1800 ms).
		expect(await startsAnsweredAfter([300, 10, 10, 10])).toEqual([500, 800, 210]);
	});

	it('counts the second start after a pause until its attempt is over too, though it was the fastest so far', async () => {
		// The second start (500 ms) is answered after 100 ms, faster than the first: it still counts until
		// its answer at 600 ms, so the fourth starts at 1600 ms, not at 1520 ms (its start plus the headroom).
		expect(await startsAnsweredAfter([300, 100, 10, 10])).toEqual([500, 800, 300]);
	});

	it('counts a request answered later than the others for as much longer: it may have left that much later', async () => {
		// The third start (1010 ms) takes 90 ms longer than the fastest, so it counts until 90 ms after
		// its start plus the headroom, and the fifth may start 90 ms later than one second after that.
		expect(await startsAnsweredAfter([10, 10, 100, 10, 10])).toEqual([500, 510, 500, 590 + ARRIVAL_HEADROOM_MS]);
	});

	it('counts the headroom, not the whole answer time, for a vendor that always takes as long', async () => {
		// Every answer after 200 ms. The two starts of the first second after a pause count until their
		// answers (200 and 700 ms), so the third starts at 1200 ms and the fourth at 1700 ms; the third
		// counts until its start plus the headroom (not its answer at 1400), and the fifth starts a second later.
		expect(await startsAnsweredAfter([200, 200, 200, 200, 200])).toEqual([500, 700, 500, 500 + ARRIVAL_HEADROOM_MS]);
	});

	it('never starts while more requests than the rate are under way and not answered', async () => {
		const gate = new RateGate();
		const first = await gate.acquire(1);
		const second = gate.acquire(1);
		let secondStarted = false;
		void second.then(() => (secondStarted = true));
		await vi.advanceTimersByTimeAsync(5_000);
		expect(secondStarted).toBe(false);

		first.over();
		await vi.advanceTimersByTimeAsync(999);
		expect(secondStarted).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(secondStarted).toBe(true);
	});

	/**
	 * Six callers start 40 requests each at 50 a second; `request` says, for each, how long after its
	 * start it arrives at the vendor and how long after its start its answer comes. Returns the
	 * arrivals, sorted.
	 */
	async function arrivalsAt50PerSecond(
		request: (random: () => number) => { arrivesAfter: number; answeredAfter: number },
	) {
		const gate = new RateGate();
		const arrivals: number[] = [];
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const worker = async () => {
			for (let index = 0; index < 40; index++) {
				const turn = await gate.acquire(50);
				const { arrivesAfter, answeredAfter } = request(random);
				arrivals.push(Date.now() + arrivesAfter);
				await new Promise((resolve) => setTimeout(resolve, answeredAfter));
				turn.over();
			}
		};
		const all = Promise.all(Array.from({ length: 6 }, worker));
		await vi.runAllTimersAsync();
		await all;
		return arrivals.sort((a, b) => a - b);
	}

	function expectEverySecondWithin50(arrivals: number[]) {
		expect(arrivals).toHaveLength(240);
		for (let first = 0; first + 50 < arrivals.length; first++) {
			expect(arrivals[first + 50] - arrivals[first]).toBeGreaterThanOrEqual(1000);
		}
	}

	it('keeps every vendor second within the rate when a stall holds requests back after their start', async () => {
		// One request in five leaves up to 100 ms after its start (a pause of the event loop); the
		// vendor answers 20 to 60 ms after the request arrived.
		const arrivals = await arrivalsAt50PerSecond((random) => {
			const stall = random() < 0.2 ? Math.floor(random() * 100) : 0;
			return { arrivesAfter: stall, answeredAfter: stall + 20 + Math.floor(random() * 40) };
		});
		expectEverySecondWithin50(arrivals);
	});

	it('keeps every vendor second within the rate when a busy second holds every request back, then ends', async () => {
		// From 1 s to 3 s every request leaves 60 ms after its start (so even the fastest attempt of
		// that second is slow); before and after, requests leave at once and are answered in 20-30 ms.
		let started = Number.NaN;
		const arrivals = await arrivalsAt50PerSecond((random) => {
			started = Number.isNaN(started) ? Date.now() : started;
			const busy = Date.now() - started >= 1000 && Date.now() - started < 3000;
			const answer = 20 + Math.floor(random() * 10);
			return busy ? { arrivesAfter: 60, answeredAfter: 60 + answer } : { arrivesAfter: 0, answeredAfter: answer };
		});
		expectEverySecondWithin50(arrivals);
	});

	it('keeps every vendor second within the rate when the first attempts of a run are all read late, and one leaves late', async () => {
		// In the first 300 ms (a node still reading its items) every answer is read 50 ms after it came,
		// so even the fastest attempt is slow; one request there leaves 60 ms after its start and its
		// answer is read at once. Measured against those slow attempts, it looks barely slower.
		let started = Number.NaN;
		let index = 0;
		const arrivals = await arrivalsAt50PerSecond(() => {
			started = Number.isNaN(started) ? Date.now() : started;
			const busy = Date.now() - started < 300;
			const leavesLate = index++ === 7;
			if (leavesLate) return { arrivesAfter: 60, answeredAfter: 80 };
			return busy ? { arrivesAfter: 0, answeredAfter: 70 } : { arrivesAfter: 0, answeredAfter: 20 };
		});
		expectEverySecondWithin50(arrivals);
	});

	it('keeps every vendor second within the rate when requests arrive anywhere between their start and their answer', async () => {
		// Latencies from 1 to 120 ms; the request arrives as it starts or as late as it can: just
		// before its answer, and within the headroom.
		const arrivals = await arrivalsAt50PerSecond((random) => {
			const latency = 1 + Math.floor(random() * 120);
			const arrivesAfter = random() < 0.5 ? 0 : Math.min(latency, GROUP_ARRIVAL_HEADROOM_MS) - 1;
			return { arrivesAfter, answeredAfter: latency };
		});
		expectEverySecondWithin50(arrivals);
	});
});

describe("a request's turn at the rate gate", () => {
	it("ends when the vendor's answer arrives, before the answer is read, so reading it does not hold up the next start", async () => {
		const events: string[] = [];
		const context = {
			helpers: {
				httpRequestWithAuthentication: async () => {
					events.push('answer arrived');
					return { statusCode: 200, headers: {}, body: { success: true } };
				},
			},
		} as unknown as IExecuteFunctions;

		const delivery = await deliver(
			context,
			{ method: 'POST', url: 'https://vendor.example/erase', body: { email: 'a@example.com' } },
			(answer) => {
				events.push(`answer read (${answer.statusCode})`);
				return { ok: true, message: 'Erased.' };
			},
			{
				link: {
					credentialType: 'vendorApi',
					vendorName: 'Vendor',
					oAuth2: false,
					redact: (text) => text,
					cancelSignal: undefined,
				},
				retry: { maxAttempts: 1, maxRetryWaitMs: 0, requestTimeoutMs: 1000 },
				waitForTurn: async () => ({ over: () => events.push('turn over') }),
			},
		);

		expect(events).toEqual(['answer arrived', 'turn over', 'answer read (200)']);
		expect(delivery).toMatchObject({
			verdict: { ok: true, message: 'Erased.' },
			httpStatus: 200,
			attempts: 1,
			unanswered: 0,
		});
	});
});
