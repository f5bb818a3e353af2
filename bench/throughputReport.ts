/** The throughput benchmark's tables and target verdicts. */
import type { OnError } from '../test/harness/engine';
import { bloomreachBulk, type Job, type Pace } from './jobs';
import { type Measurement, verdict } from './measure';

const TARGET_RATIO = 0.95;

export const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

/**
 * A plan run both ways runs an even number of times, each pair in the other order: one way's CPU per
 * request moved by up to a quarter between runs a minute apart, so neither way always runs first.
 */
export const COMPARED_REPEATS = REPEATS + (REPEATS % 2);

export interface Plan {
	job: Job;
	items: number;
	pace: Pace;
	onError: OnError;
	/** Also run the same job with the HTTP Request node. */
	compare: boolean;
}

export type Way = 'this package' | 'HTTP Request';

export interface Outcome {
	plan: Plan;
	way: Way;
	/** The run's figures; its output items are counted and let go, so runs do not pile up memory. */
	run: Omit<Measurement<unknown>, 'result'>;
	requestsSent: number;
	accepted: number;
	rateLimited: number;
	failedItems: number;
	/** The most requests that arrived at the simulator within any one second. */
	maxInOneSecond: number;
	/** The shortest span of limit + 1 arrivals less one second (infinite when no more than the limit were sent). */
	marginMs: number;
	/** Where the arrivals over the limit came, when they did. */
	overTheLimit?: string;
	/** The longest garbage collection in the simulator from the first arrival to the last answer. */
	longestSimulatorCollectionMs: number;
	erased: number;
	/** The node's execution time as n8n records it. */
	nodeMs: number;
	/** From the node's start. */
	firstRequestAfterMs: number;
	/** From the first request's arrival at the simulator to the last answer. */
	sendingMs: number;
	/** The fastest the limit, the latency and the concurrency allow. */
	theoreticalMs: number;
}

/** The repeated runs of one plan one way: the median run and the worst, by ratio to the limit. */
export interface Summary {
	plan: Plan;
	way: Way;
	runs: Outcome[];
	median: Outcome;
	worst: Outcome;
}

const ratio = (outcome: Outcome) => outcome.theoreticalMs / outcome.nodeMs;
const cpuPerItem = (outcome: Outcome) => (outcome.run.cpuMs * 1000) / outcome.plan.items;
const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const onErrorName = (plan: Plan) => (plan.onError === 'stopWorkflow' ? 'Stop (default)' : 'Continue');

export function summaries(outcomes: Outcome[]): Summary[] {
	const groups = new Map<string, Outcome[]>();
	for (const outcome of outcomes) {
		const key = `${outcomes.findIndex((other) => other.plan === outcome.plan)} ${outcome.way}`;
		groups.set(key, [...(groups.get(key) ?? []), outcome]);
	}
	return [...groups.values()].map((runs) => {
		const byRatio = [...runs].sort((a, b) => ratio(a) - ratio(b));
		return {
			plan: runs[0].plan,
			way: runs[0].way,
			runs,
			median: byRatio[Math.floor(byRatio.length / 2)],
			worst: byRatio[0],
		};
	});
}

export function row(outcome: Outcome): Record<string, string | number> {
	const { plan, run } = outcome;
	const seconds = run.wallMs / 1000;
	return {
		job: plan.job.name,
		way: outcome.way,
		'On Error': onErrorName(plan),
		items: plan.items,
		'limit req/s': plan.pace.requestsPerSecond,
		concurrency: outcome.way === 'this package' ? plan.pace.concurrency : `batch of ${plan.pace.requestsPerSecond}`,
		'wall s': seconds,
		'node s': outcome.nodeMs / 1000,
		'1st request after s': outcome.firstRequestAfterMs / 1000,
		requests: outcome.requestsSent,
		'max in 1 s': outcome.maxInOneSecond,
		'margin ms': Number.isFinite(outcome.marginMs) ? outcome.marginMs : '',
		'simulator GC max ms': outcome.longestSimulatorCollectionMs,
		'429s': outcome.rateLimited,
		'failed items': outcome.failedItems,
		'erased in simulator': outcome.erased,
		'items/s': plan.items / seconds,
		'limit items/s': plan.items / (outcome.theoreticalMs / 1000),
		ratio: ratio(outcome),
		'ratio sending': outcome.theoreticalMs / outcome.sendingMs,
		'CPU µs/item': cpuPerItem(outcome),
		'heap peak MB': run.peakHeapMb,
		'process RSS peak MB': run.processPeakRssMb,
	};
}

function partner(summaries: Summary[], theirs: Summary) {
	return summaries.find((summary) => summary.plan === theirs.plan && summary.way === 'this package')!;
}

const medianCpu = (summary: Summary) => medianOf(summary.runs.map(cpuPerItem));

/** Our CPU per item ÷ the HTTP Request node's, pair by pair: the two runs of a pair ran back to back. */
const pairedCpuRatios = (ours: Summary, theirs: Summary) =>
	theirs.runs.map((run, pair) => cpuPerItem(ours.runs[pair]) / cpuPerItem(run));

/** With an even count, the higher of the two middle values: the verdict does not round in our favour. */
const medianPairedCpuRatio = (ours: Summary, theirs: Summary) => medianOf(pairedCpuRatios(ours, theirs));

const shownPairedCpuRatios = (ours: Summary, theirs: Summary) =>
	pairedCpuRatios(ours, theirs)
		.map((value) => value.toFixed(2))
		.join(', ');

const medianWallMs = (summary: Summary) => medianOf(summary.runs.map((outcome) => outcome.run.wallMs));

export function comparisons(summaries: Summary[]): Array<Record<string, string | number>> {
	return summaries
		.filter((summary) => summary.way === 'HTTP Request')
		.map((theirs) => {
			const ours = partner(summaries, theirs);
			return {
				job: theirs.plan.job.name,
				items: theirs.plan.items,
				'limit req/s': theirs.plan.pace.requestsPerSecond,
				'CPU µs/item (ours / HTTP Request)': `${medianCpu(ours).toFixed(0)} / ${medianCpu(theirs).toFixed(0)}`,
				'CPU ours ÷ HTTP Request, median of pairs': medianPairedCpuRatio(ours, theirs),
				'CPU ours ÷ HTTP Request, each pair': shownPairedCpuRatios(ours, theirs),
				'ratio to limit, median (ours / HTTP Request)': `${ratio(ours.median).toFixed(2)} / ${ratio(theirs.median).toFixed(2)}`,
				'ratio to limit, worst (ours / HTTP Request)': `${ratio(ours.worst).toFixed(2)} / ${ratio(theirs.worst).toFixed(2)}`,
				'wall s, median (ours / HTTP Request)': `${(medianWallMs(ours) / 1000).toFixed(2)} / ${(medianWallMs(theirs) / 1000).toFixed(2)}`,
				'max in 1 s (ours / HTTP Request)': `${ours.worst.maxInOneSecond} / ${theirs.worst.maxInOneSecond}`,
				'429s, all runs (ours / HTTP Request)': `${sum(ours.runs, 'rateLimited')} / ${sum(theirs.runs, 'rateLimited')}`,
				'failed items, all runs (ours / HTTP Request)': `${sum(ours.runs, 'failedItems')} / ${sum(theirs.runs, 'failedItems')}`,
			};
		});
}

const sum = (runs: Outcome[], figure: 'rateLimited' | 'failedItems') =>
	runs.reduce((total, run) => total + run[figure], 0);

/** Ratios in verdicts: three decimals, so that 0.947 is not printed as 0.95 beside FAIL. */
const shownRatio = (outcome: Outcome) => ratio(outcome).toFixed(3);

export function printVerdicts(summaries: Summary[]) {
	process.stdout.write('\n');
	const ours = summaries.filter((summary) => summary.way === 'this package');
	for (const { plan, runs, median, worst } of ours.filter(
		(summary) => summary.plan.job === bloomreachBulk && summary.plan.items === 100_000,
	)) {
		const requests = plan.items / plan.job.itemsPerRequest;
		verdict(
			`Bloomreach bulk, On Error ${onErrorName(plan)}: 100k customers in 100 requests, worst of ${runs.length} runs ≥ ${TARGET_RATIO} of the simulator's limit`,
			runs.every((run) => run.accepted === requests && run.failedItems === 0) && ratio(worst) >= TARGET_RATIO,
			`ratio median ${shownRatio(median)}, worst ${shownRatio(worst)} over the whole run (${(worst.firstRequestAfterMs / 1000).toFixed(1)} s before the first request), ` +
				`${(worst.theoreticalMs / worst.sendingMs).toFixed(3)} while sending; ${sum(runs, 'failedItems')} failed items, ${sum(runs, 'rateLimited')} answered 429 in all runs`,
		);
	}
	for (const { plan, runs, median, worst } of ours.filter((summary) => summary.plan.job !== bloomreachBulk)) {
		verdict(
			`${plan.job.name}, ${plan.items} items at ${plan.pace.requestsPerSecond} req/s, On Error ${onErrorName(plan)}: worst of ${runs.length} runs ≥ ${TARGET_RATIO} of the configured limit, no failed item, while the simulator enforces it`,
			runs.every((run) => run.failedItems === 0) && ratio(worst) >= TARGET_RATIO,
			`ratio median ${shownRatio(median)}, worst ${shownRatio(worst)}; ${sum(runs, 'failedItems')} failed items, ${sum(runs, 'rateLimited')} answered 429, ${median.erased} people erased in the simulator`,
		);
	}
	const overTheLimit = ours.flatMap((summary) => summary.runs).filter((run) => run.overTheLimit !== undefined);
	verdict(
		'Pacing exact at the vendor: no run of this package had more requests arrive within any one second than its limit',
		overTheLimit.length === 0,
		ours
			.map(
				({ plan, runs, worst }) =>
					`${plan.job.name} ${plan.items}: max ${Math.max(...runs.map((run) => run.maxInOneSecond))} in 1 s at limit ${plan.pace.requestsPerSecond}, worst ratio ${shownRatio(worst)}`,
			)
			.join('; '),
	);
	for (const run of overTheLimit)
		process.stdout.write(`      ${run.plan.job.name} ${run.plan.items}: ${run.overTheLimit}\n`);
	for (const theirs of summaries.filter(
		(summary) => summary.way === 'HTTP Request' && summary.plan.job !== bloomreachBulk && summary.plan.items >= 1_000,
	)) {
		const ours = partner(summaries, theirs);
		verdict(
			`${theirs.plan.job.name}, ${theirs.plan.items} items: CPU per request ≤ the HTTP Request node's (median of ${ours.runs.length} pairs of runs back to back)`,
			medianPairedCpuRatio(ours, theirs) <= 1,
			`${medianPairedCpuRatio(ours, theirs).toFixed(2)}× (pairs: ${shownPairedCpuRatios(ours, theirs)}); ` +
				`medians ${medianCpu(ours).toFixed(0)} µs vs ${medianCpu(theirs).toFixed(0)} µs`,
		);
	}
	const [tenThousand, hundredThousand] = ours
		.filter(
			(summary) =>
				summary.plan.job === bloomreachBulk && summary.plan.items >= 10_000 && summary.plan.onError !== 'stopWorkflow',
		)
		.map((summary) => medianOf(summary.runs.map((run) => (run.run.retainedHeapMb * 1024) / run.plan.items)));
	if (hundredThousand === undefined) return;
	verdict(
		'Bloomreach bulk memory grows linearly',
		hundredThousand / tenThousand > 0.5 && hundredThousand / tenThousand < 1.5,
		`retained ${tenThousand.toFixed(2)} KB per item at 10k, ${hundredThousand.toFixed(2)} KB at 100k (medians)`,
	);
}
