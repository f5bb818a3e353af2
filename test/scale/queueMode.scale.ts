// The nodes in n8n's queue mode: Redis, Postgres, n8n main and two workers, with the packed
// package installed in each, under 40 concurrent webhook calls of 50 people, and with a worker
// killed during a bulk erasure. `npm run test:scale`; prints its figures.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type SimulatorProcess, startSimulatorProcess } from '../../bench/simulatorProcess';
import { repoRoot, WEBHOOK_TOKEN_HEADER } from '../../scripts/lib/n8n-runtime.mjs';
import { type ScaleStack, startScaleStack } from '../../scripts/lib/scale-stack.mjs';
import { generatedIdentity, type LoggedRequest, type VendorName } from '../../simulator/index.mjs';
import { ownerSession, publishWorkflow } from '../e2e/support/n8nServer';
import { until } from '../e2e/support/waiting';
import { emailsAnswered, vendorFigures } from './vendorLog';
import { scaleWorkflows, webhookExample } from './workflows';

const WORKERS = 2;
const CALLS = 40;
const PEOPLE_PER_CALL = 50;
/** The simulator's limits; Blueshift and CustomerGauge above their defaults so 2000 single requests take a minute. */
const VENDOR_LIMITS = { bloomreach: 10, customerGauge: 40, blueshift: 40 };
/** As docs/operators.md (Queue mode) says: Max Requests per Second = the vendor's limit ÷ the number of workers. */
const PER_WORKER = {
	bloomreach: VENDOR_LIMITS.bloomreach / WORKERS,
	customerGauge: VENDOR_LIMITS.customerGauge / WORKERS,
	blueshift: VENDOR_LIMITS.blueshift / WORKERS,
};
const workflows = scaleWorkflows(PER_WORKER);

let simulator: SimulatorProcess;
let stack: ScaleStack | undefined;
const figures: string[] = [];
const report = (line: string) => {
	figures.push(line);
	console.log(`scale: ${line}`);
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
let suiteStarted = 0;

beforeAll(async () => {
	suiteStarted = performance.now();
	const { n8n } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	if (!n8n.nodes.every((file) => existsSync(path.join(repoRoot, file))))
		throw new Error('Build the package first (npm run test:scale does)');
	// In its own process, so the arrival times it logs are not held up by this process's open calls.
	const perVendor = (value: (vendor: VendorName) => number) =>
		(Object.keys(VENDOR_LIMITS) as VendorName[]).map((vendor) => `${vendor}=${value(vendor)}`).join(',');
	simulator = await startSimulatorProcess([
		...['--rate-limit', perVendor((vendor) => VENDOR_LIMITS[vendor])],
		...['--generate', perVendor(() => CALLS * PEOPLE_PER_CALL)],
		...['--deletion-delay', '0'],
	]);
	stack = await startScaleStack({
		simulator,
		workflows: Object.values(workflows),
		workers: WORKERS,
		log: (line) => console.log(`scale: ${line}`),
	});
	const rest = await ownerSession(stack.n8nUrl, `Scale-${randomBytes(12).toString('hex')}`);
	const published = Object.values(workflows).map((workflow) => [workflow.id, webhookPathOf(workflow)]);
	for (const [id, webhookPath] of published) {
		await publishWorkflow(stack.n8nUrl, rest, id, { method: 'OPTIONS', path: `/webhook/${webhookPath}` });
	}
	report(
		`stack up (Redis, Postgres, n8n main, ${WORKERS} workers × concurrency 10, ${published.length} workflows published) in ${seconds(performance.now() - suiteStarted)}`,
	);
});

afterAll(async () => {
	await stack?.stop();
	await simulator?.close();
	report(`whole run, stack stopped: ${seconds(performance.now() - suiteStarted)}`);
	console.log(`\nscale figures:\n${figures.map((line) => `  ${line}`).join('\n')}`);
});

function webhookPathOf(workflow: typeof webhookExample): string {
	return String(workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!.parameters.path);
}

const emailOf = (index: number) => generatedIdentity(index).email;
const peopleOfCall = (call: number) =>
	Array.from({ length: PEOPLE_PER_CALL }, (_, p) => ({ email: emailOf(call * PEOPLE_PER_CALL + p) }));
const allEmails = () => Array.from({ length: CALLS * PEOPLE_PER_CALL }, (_, index) => emailOf(index));

interface Answer {
	status: number;
	receipts: IDataObject[];
}

async function postPeople(webhookPath: string, people: IDataObject[], timeoutMs = 300_000): Promise<Answer> {
	const response = await fetch(`${stack!.n8nUrl}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [WEBHOOK_TOKEN_HEADER]: stack!.webhookToken },
		body: JSON.stringify({ people }),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	return { status: response.status, receipts: response.ok ? (JSON.parse(text) as IDataObject[]) : [{ body: text }] };
}

/** n8n's execution records of a workflow, from Postgres: [id, status]. */
const executionsOf = (workflowId: string) =>
	stack!.sql(`select id, status from execution_entity where "workflowId" = '${workflowId}' order by id`);

/** The executions each worker's log says it started ("Worker started execution <id> (job <n>)"). */
function executionsStartedBy(worker: ScaleStack['workers'][number]): string[] {
	return [...worker.output().matchAll(/Worker started execution (\d+) \(job/g)].map(([, id]) => id);
}

interface LoadRun {
	answers: Answer[];
	requests: LoggedRequest[];
	perWorker: number[];
	wallMs: number;
}

/** 40 concurrent calls of 50 people each to a published webhook; what n8n and the vendor recorded. */
async function underLoad(workflowId: string, webhookPath: string, vendor: VendorName): Promise<LoadRun> {
	await simulator.reset();
	const started = performance.now();
	const answers = await Promise.all(
		Array.from({ length: CALLS }, (_, call) => postPeople(webhookPath, peopleOfCall(call))),
	);
	const wallMs = performance.now() - started;

	// The Respond to Webhook node answers before the worker records the execution as finished.
	const executions = await until(
		'n8n to record every execution as finished',
		async () => {
			const rows = executionsOf(workflowId);
			return rows.length === CALLS && rows.every(([, status]) => !['new', 'running'].includes(status))
				? rows
				: undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 250 },
	);
	// A call with a failed or unconfirmed receipt is answered, then its execution fails on purpose so
	// that "Erasure alerts" tells the privacy team (docs/privacy-officer.md, Alerts).
	const needingAHand = answers.filter(({ receipts }) =>
		receipts.some((receipt) => receipt.status === 'failed' || receipt.status === 'unconfirmed'),
	).length;
	expect(executions.map(([, status]) => status).sort()).toEqual([
		...Array(needingAHand).fill('error'),
		...Array(CALLS - needingAHand).fill('success'),
	]);
	const startedByWorker = stack!.workers.map(executionsStartedBy);
	const ids = executions.map(([id]) => id);
	// Each execution ran on exactly one worker, and both workers took some.
	expect(ids.map((id) => startedByWorker.filter((list) => list.includes(id)).length)).toEqual(Array(CALLS).fill(1));
	const perWorker = startedByWorker.map((list) => list.filter((id) => ids.includes(id)).length);
	expect(perWorker.every((count) => count > 0)).toBe(true);

	expect(answers.map(({ status, receipts }) => [status, receipts.length])).toEqual(
		Array(CALLS).fill([200, PEOPLE_PER_CALL]),
	);
	return { answers, requests: (await simulator.requests(vendor)).requests, perWorker, wallMs };
}

function reportRun(label: string, run: LoadRun, limit: number) {
	const items = run.answers.flatMap(({ receipts }) => receipts);
	const failed = items.filter((receipt) => receipt.status !== 'accepted');
	const rateLimited = failed.filter(
		(receipt) => (receipt.failure as IDataObject | undefined)?.reason === 'rate_limited',
	);
	report(
		`${label}: ${CALLS} calls × ${PEOPLE_PER_CALL} people in ${seconds(run.wallMs)}; executions per worker ${run.perWorker.join(' / ')}; ` +
			`${vendorFigures(run.requests, limit)}; items not accepted: ${failed.length} (rate_limited: ${rateLimited.length})`,
	);
	return { failed, rateLimited };
}

const bulkEmails = (body: unknown) =>
	(body as { customers: Array<{ customer_ids: { registered: string } }> }).customers.map(
		(customer) => customer.customer_ids.registered,
	);

/** Every generated customer anonymized exactly once, and each receipt names the bulk_id that carried its person. */
async function expectEveryoneAnonymizedOnce(answers: Answer[]) {
	const { anonymizations } = await simulator.state('bloomreach');
	const bulkIdOf = new Map(
		anonymizations.flatMap(({ bulk_id, anonymized }) => anonymized.map((internalId) => [internalId, bulk_id])),
	);
	const anonymized = anonymizations.flatMap(({ anonymized }) => anonymized);
	const internalIds = allEmails().map((_, index) => generatedIdentity(index).internalId);
	expect(anonymized.sort()).toEqual([...internalIds].sort());
	const references = answers.flatMap(({ receipts }) => receipts.map((receipt) => receipt.vendorReference));
	expect(references).toEqual(internalIds.map((internalId) => bulkIdOf.get(internalId)));
}

describe('Bloomreach bulk, the webhook example, 2 workers: 40 concurrent calls of 50 people', () => {
	it('as published (Max Requests per Second 10 on each worker): every call answered, nobody anonymized twice', async () => {
		const run = await underLoad(workflows.example.id, webhookPathOf(workflows.example), 'bloomreach');
		const { failed, rateLimited } = reportRun(
			'Bloomreach, example as published (10/s per worker)',
			run,
			VENDOR_LIMITS.bloomreach,
		);

		// Two workers at 10/s each exceed a 10/s vendor: what is refused with 429 is retried.
		expect(failed).toEqual(rateLimited);
		const accepted = emailsAnswered(run.requests, 200, bulkEmails);
		expect([...accepted.values()].every((count) => count === 1)).toBe(true);
		if (failed.length === 0) await expectEveryoneAnonymizedOnce(run.answers);
	});

	it('configured as documented (10/s ÷ 2 workers = 5/s per worker): everyone anonymized once, no item rate_limited', async () => {
		const run = await underLoad(workflows.bloomreach.id, webhookPathOf(workflows.bloomreach), 'bloomreach');
		const { failed } = reportRun('Bloomreach, 5/s per worker as documented', run, VENDOR_LIMITS.bloomreach);

		expect(failed).toEqual([]);
		expect(
			run.answers.flatMap(({ receipts }) => receipts.map((receipt) => (receipt.identifiers as IDataObject[])[0].value)),
		).toEqual(allEmails());
		await expectEveryoneAnonymizedOnce(run.answers);
		// One bulk request per call, nobody in two of them.
		const accepted = emailsAnswered(run.requests, 200, bulkEmails);
		expect(accepted.size).toBe(CALLS * PEOPLE_PER_CALL);
		expect([...accepted.values()].every((count) => count === 1)).toBe(true);
	});
});

describe('per-person nodes, 2 workers, configured as documented: 40 concurrent calls of 50 people', () => {
	const singleEmail = (body: unknown) => [(body as { email: string }).email];

	it.each([
		['customerGauge', workflows.customerGauge],
		['blueshift', workflows.blueshift],
	] as const)('%s: every person erased once, 0 failed items', async (vendor, workflow) => {
		const run = await underLoad(workflow.id, webhookPathOf(workflow), vendor);
		const { failed } = reportRun(
			`${vendor}, ${PER_WORKER[vendor]}/s per worker (vendor limit ${VENDOR_LIMITS[vendor]}/s)`,
			run,
			VENDOR_LIMITS[vendor],
		);

		expect(failed).toEqual([]);
		expect(
			run.answers.flatMap(({ receipts }) => receipts.map((receipt) => (receipt.identifiers as IDataObject[])[0].value)),
		).toEqual(allEmails());
		const accepted = emailsAnswered(run.requests, 200, singleEmail);
		expect([...accepted.keys()].sort()).toEqual(allEmails().sort());
		expect([...accepted.values()].every((count) => count === 1)).toBe(true);

		const erased =
			vendor === 'customerGauge'
				? (await simulator.state('customerGauge')).anonymizations.map(({ value, recordIds }) => [
						value,
						recordIds.length,
					])
				: (await simulator.state('blueshift')).jobs.map(({ identifiers, deletedUuids }) => [
						identifiers.email,
						deletedUuids.length,
					]);
		expect(erased.sort()).toEqual(
			allEmails()
				.sort()
				.map((email) => [email, 1]),
		);
	});
});

describe('a worker killed (SIGKILL) while it runs a bulk erasure', () => {
	const people = Array.from({ length: 100 }, (_, index) => ({ email: emailOf(index) }));
	const slowPath = () => webhookPathOf(workflows.slowBulk);
	const bulkRequests = async () => (await simulator.requests('bloomreach')).requests;

	it('n8n fails the execution without retrying it, the caller gets no receipts; sending the list again erases everyone', async () => {
		await simulator.reset();
		const answer = postPeople(slowPath(), people).catch((error: Error) => ({
			status: 0,
			receipts: [{ error: error.message }],
		}));
		await until(
			'three bulk requests at the vendor',
			async () => ((await bulkRequests()).length >= 3 ? true : undefined),
			{
				timeoutMs: 60_000,
				intervalMs: 250,
			},
		);
		const [[executionId]] = executionsOf(workflows.slowBulk.id);
		const victim = stack!.workers.find((worker) => executionsStartedBy(worker).includes(executionId))!;
		process.kill(victim.pid, 'SIGKILL');
		const killedAt = Date.now();

		// n8n notices when the job's lock expires (QUEUE_WORKER_LOCK_DURATION, 60 s) at the next stalled-job
		// check of another worker (QUEUE_WORKER_STALLED_INTERVAL, 30 s), and fails it: maxStalledCount is 0.
		const { status, receipts } = await answer;
		const answeredAfterMs = Date.now() - killedAt;
		expect([status, receipts]).toEqual([500, [{ body: JSON.stringify({ message: 'Error in workflow' }) }]]);
		expect(executionsOf(workflows.slowBulk.id)).toEqual([[executionId, 'error']]);
		const [[error]] = stack!.sql(`select data from execution_data where "executionId" = ${executionId}`);
		expect(error).toContain('This execution failed to be processed too many times and will no longer retry.');
		expect(error).not.toContain('@bench.example'); // no node's data was saved: n8n's record names nobody
		const survivors = stack!.workers.filter((worker) => worker !== victim);
		expect(survivors.flatMap(executionsStartedBy)).not.toContain(executionId);

		// The vendor got what was sent before the kill, and nothing after it.
		const sent = await bulkRequests();
		expect(sent.every((request) => request.at < killedAt)).toBe(true);
		const accepted = sent.filter((request) => request.status === 200).flatMap((request) => bulkEmails(request.body));
		const anonymized = (await simulator.state('bloomreach')).anonymizations.flatMap(({ anonymized }) => anonymized);
		const internalIdOf = (email: string) =>
			generatedIdentity(people.findIndex((person) => person.email === email)).internalId;
		expect(anonymized.sort()).toEqual(accepted.map(internalIdOf).sort());
		expect(accepted.length).toBeLessThan(people.length);
		report(
			`worker killed: ${victim.name} (SIGKILL) during a bulk erasure of ${people.length} people after ${accepted.length / 10} of 10 requests ` +
				`(${accepted.length} people accepted at the vendor, none sent after the kill); n8n marked execution ${executionId} "error" ` +
				`(job stalled, not retried) and answered the webhook caller HTTP 500 without receipts ${seconds(answeredAfterMs)} after the kill`,
		);

		// What the user does: send the same list again. Anonymizing twice changes nothing more.
		const again = await postPeople(slowPath(), people);
		expect(again.status).toBe(200);
		expect(again.receipts.map((receipt) => [receipt.status, (receipt.identifiers as IDataObject[])[0].value])).toEqual(
			people.map(({ email }) => ['accepted', email]),
		);
		const afterRerun = (await simulator.state('bloomreach')).anonymizations.flatMap(({ anonymized }) => anonymized);
		expect(afterRerun.sort()).toEqual(people.map(({ email }) => internalIdOf(email)).sort());
		report(
			`re-sent on the surviving worker: ${again.receipts.length} receipts accepted, every one of the ${people.length} people anonymized once`,
		);
	});
});
