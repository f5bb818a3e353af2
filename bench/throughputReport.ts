/** The throughput benchmark's tables and target verdicts. */
import { bloomreachBulk, type Job, type Pace } from './jobs';
import { type Measurement, verdict } from './measure';

const TARGET_RATIO = 0.9;

export interface Plan {
	job: Job;
	items: number;
	pace: Pace;
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
	erased: number;
	firstRequestAfterMs: number;
	/** From the first request's arrival at the simulator to the last answer. */
	sendingMs: number;
	/** The fastest the limit, the latency and the concurrency allow. */
	theoreticalMs: number;
}

const ratio = (outcome: Outcome) => outcome.theoreticalMs / outcome.run.wallMs;

export function row(outcome: Outcome): Record<string, string | number> {
	const { plan, run } = outcome;
	const seconds = run.wallMs / 1000;
	return {
		job: plan.job.name,
		way: outcome.way,
		items: plan.items,
		'limit req/s': plan.pace.requestsPerSecond,
		concurrency: outcome.way === 'this package' ? plan.pace.concurrency : `batch of ${plan.pace.requestsPerSecond}`,
		'wall s': seconds,
		'1st request after s': outcome.firstRequestAfterMs / 1000,
		requests: outcome.requestsSent,
		'429s': outcome.rateLimited,
		'failed items': outcome.failedItems,
		'erased in simulator': outcome.erased,
		'items/s': plan.items / seconds,
		'limit items/s': plan.items / (outcome.theoreticalMs / 1000),
		ratio: ratio(outcome),
		'ratio sending': outcome.theoreticalMs / outcome.sendingMs,
		'CPU µs/item': (run.cpuMs * 1000) / plan.items,
		'heap peak MB': run.peakHeapMb,
		'process RSS peak MB': run.processPeakRssMb,
	};
}

export function comparisons(outcomes: Outcome[]): Array<Record<string, string | number>> {
	return outcomes
		.filter((outcome) => outcome.way === 'HTTP Request')
		.map((theirs) => {
			const ours = outcomes.find((outcome) => outcome.plan === theirs.plan && outcome.way === 'this package')!;
			return {
				job: theirs.plan.job.name,
				items: theirs.plan.items,
				'limit req/s': theirs.plan.pace.requestsPerSecond,
				'wall s (ours / HTTP Request)': `${(ours.run.wallMs / 1000).toFixed(2)} / ${(theirs.run.wallMs / 1000).toFixed(2)}`,
				'HTTP Request takes × as long': theirs.run.wallMs / ours.run.wallMs,
				'requests (ours / HTTP)': `${ours.requestsSent} / ${theirs.requestsSent}`,
				'429s (ours / HTTP)': `${ours.rateLimited} / ${theirs.rateLimited}`,
				'failed items (ours / HTTP)': `${ours.failedItems} / ${theirs.failedItems}`,
				'CPU µs/item (ours / HTTP)': `${((ours.run.cpuMs * 1000) / ours.plan.items).toFixed(0)} / ${((theirs.run.cpuMs * 1000) / theirs.plan.items).toFixed(0)}`,
				'heap peak MB (ours / HTTP)': `${ours.run.peakHeapMb.toFixed(0)} / ${theirs.run.peakHeapMb.toFixed(0)}`,
			};
		});
}

export function printVerdicts(outcomes: Outcome[]) {
	process.stdout.write('\n');
	const ours = outcomes.filter((outcome) => outcome.way === 'this package');
	const bulk = ours.find((outcome) => outcome.plan.job === bloomreachBulk && outcome.plan.items === 100_000)!;
	verdict(
		'Bloomreach bulk: 100k customers in 100 requests at ≥ 90 % of the simulator\'s limit',
		bulk.accepted === 100 && bulk.failedItems === 0 && ratio(bulk) >= TARGET_RATIO,
		`${bulk.accepted} requests accepted (${bulk.requestsSent} sent, ${bulk.rateLimited} answered 429), ${bulk.failedItems} items failed, ` +
			`ratio ${ratio(bulk).toFixed(2)} over the whole run (${(bulk.firstRequestAfterMs / 1000).toFixed(1)} s before the first request), ` +
			`${(bulk.theoreticalMs / bulk.sendingMs).toFixed(2)} while sending`,
	);
	for (const outcome of ours.filter((candidate) => candidate.plan.job !== bloomreachBulk)) {
		const { plan } = outcome;
		verdict(
			`${plan.job.name}, ${plan.items} items at ${plan.pace.requestsPerSecond} req/s: ≥ 90 % of the configured limit, no failed item, while the simulator enforces it`,
			outcome.failedItems === 0 && ratio(outcome) >= TARGET_RATIO,
			`ratio ${ratio(outcome).toFixed(2)}, ${outcome.failedItems} failed items, ${outcome.rateLimited} answered 429, ${outcome.erased} people erased in the simulator`,
		);
	}
	const [tenThousand, hundredThousand] = ours
		.filter((outcome) => outcome.plan.job === bloomreachBulk && outcome.plan.items >= 10_000)
		.map((outcome) => (outcome.run.retainedHeapMb * 1024) / outcome.plan.items);
	verdict(
		'Bloomreach bulk memory grows linearly',
		hundredThousand / tenThousand > 0.5 && hundredThousand / tenThousand < 1.5,
		`retained ${tenThousand.toFixed(2)} KB per item at 10k, ${hundredThousand.toFixed(2)} KB at 100k`,
	);
}
