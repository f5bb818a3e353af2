/**
 * Throughput at the vendors' limits: each job runs in n8n's real engine against the vendor
 * simulator (a child process on 127.0.0.1) while the simulator enforces a rate limit with 429s,
 * once with this package's node and once the way a user would do it with n8n's HTTP Request node.
 */
import type { INodeExecutionData, IVersionedNodeType } from 'n8n-workflow';
import { afterAll, beforeAll, it } from 'vitest';

import { generatedIdentity, type LoggedRequest } from '../simulator/index.mjs';
import { runNode } from '../test/harness/engine';
import { describeMachine } from './environment';
import { loadHttpRequestNode } from './httpRequestNode';
import { blueshiftForget, bloomreachBulk, customerGaugeAnonymize, type Job } from './jobs';
import { measure, printTable } from './measure';
import { arrivalMarginMs, type SimulatorProcess, startSimulatorProcess } from './simulatorProcess';
import {
	COMPARED_REPEATS,
	comparisons,
	type Outcome,
	type Plan,
	printVerdicts,
	REPEATS,
	row,
	summaries,
	type Way,
} from './throughputReport';

const LATENCY_MS = 20;

const SIZES_AND_LIMITS =
	"Bloomreach Anonymize in Bulk: 1k, 10k and 100k customers at the simulator's default limit of 10 requests/s (1000 customers each). " +
	'CustomerGauge and Blueshift take one person per request: 100k people at their 5 requests/s would take 5.6 hours, so they run ' +
	"100 people at the nodes' defaults (5 requests/s, 2 concurrent), then 1k at 50 and 10k at 250 requests/s, the simulator's limit " +
	"and the node's Max Requests per Second raised together (the target is a ratio to the configured limit), with 10 concurrent: a vendor " +
	'answering in 200 ms allows 2 concurrent requests only 10 a second; 100k per-person runs are left out. ' +
	"The HTTP Request node sends one request per item, so it does Bloomreach's job for 1k customers only (10k would take 17 min).";

const CONTINUE = 'continueRegularOutput';
/** n8n's default: the node checks every item before its first request. */
const STOP = 'stopWorkflow';
const bloomreachPace = { requestsPerSecond: 10, concurrency: 1 };

const ALL_PLANS: Plan[] = [
	{ job: bloomreachBulk, items: 1_000, pace: bloomreachPace, onError: CONTINUE, compare: true },
	{ job: bloomreachBulk, items: 10_000, pace: bloomreachPace, onError: CONTINUE, compare: false },
	{ job: bloomreachBulk, items: 100_000, pace: bloomreachPace, onError: CONTINUE, compare: false },
	{ job: bloomreachBulk, items: 100_000, pace: bloomreachPace, onError: STOP, compare: false },
	...perPersonPlans(customerGaugeAnonymize),
	...perPersonPlans(blueshiftForget),
];

/** BENCH_PLANS: comma-separated "job items" (e.g. "Blueshift forget 10000") to run only those plans, both On Error settings. */
const chosen = process.env.BENCH_PLANS?.split(',').map((part) => part.trim());
const PLANS = chosen ? ALL_PLANS.filter((plan) => chosen.includes(`${plan.job.name} ${plan.items}`)) : ALL_PLANS;

function perPersonPlans(job: Job): Plan[] {
	return [
		{ job, items: 100, pace: { requestsPerSecond: 5, concurrency: 2 }, onError: CONTINUE, compare: true },
		{ job, items: 1_000, pace: { requestsPerSecond: 50, concurrency: 10 }, onError: CONTINUE, compare: true },
		{ job, items: 10_000, pace: { requestsPerSecond: 250, concurrency: 10 }, onError: CONTINUE, compare: true },
		{ job, items: 1_000, pace: { requestsPerSecond: 50, concurrency: 10 }, onError: STOP, compare: false },
	];
}

let httpRequest: { node: IVersionedNodeType; origin: string };
let current: { vendor: Job['vendor']; simulator: SimulatorProcess } | undefined;

beforeAll(async () => {
	httpRequest = await loadHttpRequestNode();
});

afterAll(async () => {
	await current?.simulator.close();
});

/**
 * A simulator holding only the people of the vendor under test, as many as its largest plan needs, so
 * that its heap, and its collections that bunch arrival stamps, do not grow with another vendor's
 * plan (one simulator for all kept 100k Bloomreach customers while Blueshift ran, and re-created them
 * on every reset).
 */
async function simulatorFor(vendor: Job['vendor']): Promise<SimulatorProcess> {
	if (current?.vendor === vendor) return current.simulator;
	await current?.simulator.close();
	const largest = Math.max(...PLANS.filter((plan) => plan.job.vendor === vendor).map((plan) => plan.items));
	const simulator = await startSimulatorProcess([
		'--latency',
		String(LATENCY_MS),
		'--deletion-delay',
		'0',
		'--generate',
		`${vendor}=${largest}`,
	]);
	current = { vendor, simulator };
	return simulator;
}

it("throughput at the vendors' limits, against the HTTP Request node", async () => {
	const started = performance.now();
	process.stdout.write(`${describeMachine()}\nHTTP Request node from ${httpRequest.origin}\n${SIZES_AND_LIMITS}\n`);
	process.stdout.write(
		`Simulator: latency ${LATENCY_MS} ms on every request, rate limit per vendor as in the "limit" column (a leaky bucket with a burst of one second's worth; 429 with Retry-After over it).\n` +
			"Each job runs with On Error: Continue (every item comes out, failed items are counted) and the larger ones also with n8n's default, Stop Workflow, where the node checks every item before its first request. " +
			`Every run is repeated ${REPEATS} times (BENCH_REPEATS), a compared one an even number of times (${COMPARED_REPEATS}), the two ways in pairs run back to back, every other pair in the other order; the tables give the median run and the worst. ` +
			"Each vendor's plans run against a simulator process of their own, holding only that vendor's generated people. " +
			'"max in 1 s" is the most requests that arrived at the simulator within any one second (sliding), against the limit; ' +
			'"margin ms" is the shortest span of limit + 1 arrivals less one second: how much earlier any of them could have come without exceeding the limit (below 0 when it was exceeded; empty when the run sent no more than the limit); ' +
			'"simulator GC max ms" the longest garbage collection in the simulator while the run sent (requests arriving meanwhile are stamped when it ends). ' +
			'"limit items/s" is the fastest the limit allows: requests start at the limit (or as fast as the concurrency allows: concurrency ÷ latency), ' +
			'the last one answers after the latency; "ratio" is that time ÷ the node\'s run as n8n records it (its execution time: reading, checking, sending, receipts; ' +
			"not the harness's stand-in trigger emitting the items). " +
			'"ratio sending" counts only from the first request to the last answer, leaving out reading and checking the items before anything is sent.\n',
	);

	const outcomes: Outcome[] = [];
	for (const plan of PLANS) {
		for (let repeat = 0; repeat < repeatsOf(plan); repeat++) {
			for (const way of waysInOrder(plan, repeat)) outcomes.push(await runPlan(plan, way));
		}
	}

	const summary = summaries(outcomes);
	printTable(
		'This package against the HTTP Request node (same job, same limit, same runs; medians)',
		comparisons(summary),
	);
	printTable(
		'Throughput against the simulator: median run',
		summary.map(({ median }) => row(median)),
	);
	printTable(
		'Throughput against the simulator: worst run (lowest ratio)',
		summary.map(({ worst }) => row(worst)),
	);
	printVerdicts(summary);
	process.stdout.write(`\nThroughput runs took ${((performance.now() - started) / 60_000).toFixed(1)} min.\n`);
});

const repeatsOf = (plan: Plan) => (plan.compare ? COMPARED_REPEATS : REPEATS);

function waysInOrder(plan: Plan, repeat: number): Way[] {
	if (!plan.compare) return ['this package'];
	return repeat % 2 === 0 ? ['this package', 'HTTP Request'] : ['HTTP Request', 'this package'];
}

async function runPlan(plan: Plan, way: Way): Promise<Outcome> {
	const { job, pace } = plan;
	const simulator = await simulatorFor(job.vendor);
	await simulator.reset();
	await simulator.configure({ rateLimits: { [job.vendor]: pace.requestsPerSecond } });
	const items = Array.from({ length: plan.items }, (_, index) => ({ email: generatedIdentity(index).email }));
	const nodeRun =
		way === 'this package'
			? job.ours(simulator, pace)
			: { node: httpRequest.node, ...job.httpRequest(simulator, pace) };
	const { result, ...run } = await measure(() => runNode({ ...nodeRun, items, onError: plan.onError }));
	const { requests } = await simulator.requests(job.vendor);
	const erased = job.erased(await simulator.state(job.vendor));

	const itemsPerRequest = way === 'this package' ? job.itemsPerRequest : 1;
	const concurrency = way === 'this package' ? pace.concurrency : pace.requestsPerSecond;
	const firstArrival = Math.min(...requests.map((request) => request.at));
	const lastAnswer = Math.max(...requests.map((request) => request.at + request.durationMs));
	return {
		plan,
		way,
		run,
		requestsSent: requests.length,
		accepted: requests.filter((request) => request.status !== null && request.status < 300).length,
		rateLimited: requests.filter((request) => request.status === 429).length,
		failedItems: result.error ? plan.items : result.main.filter(isFailed).length,
		...busiestSecond(requests, pace.requestsPerSecond, simulator),
		longestSimulatorCollectionMs: Math.max(
			0,
			...simulator.collectionsBetween(firstArrival, lastAnswer).map((collection) => collection.durationMs),
		),
		erased,
		nodeMs: result.nodeRun?.executionTime ?? run.wallMs,
		firstRequestAfterMs: firstArrival - (result.nodeRun?.startTime ?? run.startedAt),
		sendingMs: lastAnswer - firstArrival,
		theoreticalMs: fastestPossibleMs(Math.ceil(plan.items / itemsPerRequest), pace.requestsPerSecond, concurrency),
	};
}

/** Requests start at the limit, or as fast as `concurrency` requests of LATENCY_MS each allow. */
function fastestPossibleMs(requests: number, requestsPerSecond: number, concurrency: number) {
	const startsPerSecond = Math.min(requestsPerSecond, (concurrency * 1000) / LATENCY_MS);
	return ((requests - 1) / startsPerSecond) * 1000 + LATENCY_MS;
}

/**
 * The most arrivals within any window of 1000 ms and, when that is over the limit, where they came:
 * the first and last five of that window, arrival and answer time, from the window's start, and the
 * simulator's garbage collections from a second before the window to its end.
 */
function busiestSecond(
	requests: LoggedRequest[],
	limit: number,
	simulator: SimulatorProcess,
): Pick<Outcome, 'maxInOneSecond' | 'overTheLimit' | 'marginMs'> {
	const sorted = [...requests].sort((a, b) => a.at - b.at);
	const marginMs = arrivalMarginMs(sorted, limit);
	let most = 0;
	let from = 0;
	for (let first = 0, last = 0; last < sorted.length; last++) {
		while (sorted[last].at - sorted[first].at >= 1000) first++;
		if (last - first + 1 > most) [most, from] = [last - first + 1, first];
	}
	if (most <= limit) return { maxInOneSecond: most, marginMs };
	const window = sorted.slice(from, from + most);
	const start = window[0].at;
	const end = window[most - 1].at;
	const shown = (part: LoggedRequest[]) =>
		part.map((request) => `+${(request.at - start).toFixed(1)} (${request.durationMs.toFixed(0)})`).join(', ');
	const collections = simulator
		.collectionsBetween(start - 1000, end)
		.map(
			(collection) =>
				`${collection.kind} ${collection.durationMs.toFixed(1)} ms at +${(collection.startedAt - start).toFixed(1)}`,
		);
	return {
		maxInOneSecond: most,
		marginMs,
		overTheLimit:
			`${most} arrivals within ${(end - start).toFixed(1)} ms, starting ${((start - sorted[0].at) / 1000).toFixed(2)} s after the first request; ` +
			`arrival ms from the window's start (answered after ms): first ${shown(window.slice(0, 5))}; last ${shown(window.slice(-5))}; ` +
			`simulator collections from 1 s before the window to its end: ${collections.length > 0 ? collections.join(', ') : 'none'}`,
	};
}

/** A failed receipt, or an HTTP Request error item. */
const isFailed = (item: INodeExecutionData) => item.json.status === 'failed' || item.json.error !== undefined;
