import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, INode } from 'n8n-workflow';

import { repoRoot } from '../../../scripts/lib/n8n-runtime.mjs';
import type { WorkflowFile } from './laneWorkflow';

const example = JSON.parse(
	readFileSync(path.join(repoRoot, 'examples', 'erasure-follow-up-schedule.json'), 'utf8'),
) as WorkflowFile;

export const DAILY_TRIGGER = 'Every day at 08:00';
export const MONTHLY_TRIGGER = 'On the 1st of every month at 09:00';
/** Where the example sends its digest and its summary. */
export const PRIVACY_TEAM = 'privacy@example.com';

/** One row of the seeded "Erasure log", its dates counted back from the day the seed runs. */
export interface FollowUpSeed {
	requestId: string;
	/** Kept while the request is open; null once completed, and in rows written before the log kept it. */
	email: string | null;
	/** Received at noon (n8n's time zone), this many calendar days ago. */
	receivedDaysAgo: number;
	/** Already completed at noon this many days ago: the follow-up does not check it again. */
	completedDaysAgo?: number;
	/**
	 * A deadline extension the privacy officer recorded in the row (in n8n's data table editor), the
	 * person told of it this many days after receipt: `dueBy` is still the first one, as the verify
	 * example wrote it.
	 */
	extension?: { reason: string; toldDaysAfterReceipt: number };
}

/**
 * The log the follow-up finds: open requests pending at a vendor (due within 7 days, due later,
 * overdue), open ones no vendor holds any more (completed now: on time and late), one completed
 * earlier, one open row without an address (written before the log kept it), and two whose first
 * due date has passed but whose deadline the privacy officer extended in the row (one pending, one
 * completed now).
 */
export const followUpSeeds: FollowUpSeed[] = [
	// CustomerGauge holds nina: still pending, past its due date.
	{ requestId: 'seed-overdue', email: 'nina@example.com', receivedDaysAgo: 45 },
	// CustomerGauge holds maria: pending, due in 1 to 4 days.
	{ requestId: 'seed-due-soon', email: 'maria@example.com', receivedDaysAgo: 27 },
	// Blueshift holds solo: pending, due in about four weeks.
	{ requestId: 'seed-open', email: 'solo@example.com', receivedDaysAgo: 2 },
	// Nobody holds these any more: completed by this check, one after its due date.
	{ requestId: 'seed-late', email: 'gone-late@example.com', receivedDaysAgo: 40 },
	{ requestId: 'seed-on-time', email: 'gone@example.com', receivedDaysAgo: 3 },
	{ requestId: 'seed-done', email: null, receivedDaysAgo: 50, completedDaysAgo: 35 },
	{ requestId: 'seed-no-address', email: null, receivedDaysAgo: 10 },
	// CustomerGauge holds tom: pending. Its first month ran out 54 to 57 days ago; extended (GDPR: three
	// months after receipt, 89 to 92 days), it is due in 4 to 7 days.
	{
		requestId: 'seed-extended',
		email: 'tom@example.com',
		receivedDaysAgo: 85,
		extension: { reason: 'Data held in several archived systems', toldDaysAfterReceipt: 20 },
	},
	// Nobody holds it any more: completed by this check, 9 to 12 days after its first due date, well
	// within the extended one.
	{
		requestId: 'seed-extended-done',
		email: 'gone-extended@example.com',
		receivedDaysAgo: 40,
		extension: { reason: 'Many requests this month', toldDaysAfterReceipt: 10 },
	},
];

const logTableNode = example.nodes.find((node) => node.name === 'Erasure log table')!;
const LOG = { __rl: true, mode: 'name', value: 'Erasure log' };

/**
 * A webhook that starts the workflow and answers once its last node has run: \`n8n execute\` cannot
 * run these workflows (it does not load n8n's data table module), so the tests publish them.
 */
const webhookTrigger = (name: string, webhookPath: string, position: [number, number]): INode => ({
	id: `e2e-follow-up-${webhookPath}`,
	name,
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position,
	webhookId: webhookPath,
	parameters: {
		httpMethod: 'POST',
		path: webhookPath,
		responseMode: 'lastNode',
		responseData: 'allEntries',
		options: {},
	},
});

/** The production paths of the test workflows' webhooks. */
export const FOLLOW_UP_PATHS = {
	seed: 'e2e-seed-erasure-log',
	drop: 'e2e-drop-erasure-log',
	followUp: 'e2e-follow-up',
	summary: 'e2e-monthly-summary',
} as const;

const dropLogNode: INode = {
	id: 'e2e-follow-up-drop',
	name: 'Drop the Erasure log',
	type: 'n8n-nodes-base.dataTable',
	typeVersion: 1,
	position: [220, 0],
	parameters: { resource: 'table', operation: 'delete', dataTableId: LOG },
	// The first run finds no table to drop.
	onError: 'continueRegularOutput',
};

const chain = (names: string[]): IConnections =>
	Object.fromEntries(
		names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]),
	) as IConnections;

const seedCode = `const seeds = ${JSON.stringify(followUpSeeds)};
// Noon in n8n's time zone, so that calendar days count the same in every zone.
const noon = (daysAgo) => $today.minus({ days: daysAgo }).set({ hour: 12 });
return seeds.map((seed) => {
  const received = noon(seed.receivedDaysAgo);
  const completedAt = seed.completedDaysAgo === undefined ? null : noon(seed.completedDaysAgo).toUTC().toISO();
  const status = completedAt ? 'completed' : 'pending';
  const dueBy = received.plus({ months: 1 }).toISODate();
  return { json: {
    requestId: seed.requestId,
    person: 'hmac-sha256:' + seed.requestId,
    email: seed.email,
    receivedAt: received.toUTC().toISO(),
    dueBy,
    originalDueBy: dueBy,
    extensionReason: seed.extension ? seed.extension.reason : null,
    extensionToldOn: seed.extension ? received.plus({ days: seed.extension.toldDaysAfterReceipt }).toISODate() : null,
    customerGauge: status,
    blueshift: status,
    completed: completedAt !== null,
    completedAt,
    completedLate: false,
    overdue: false,
    checkedAt: completedAt ?? received.plus({ hours: 1 }).toUTC().toISO(),
  } };
});`;

/** Drops the "Erasure log", creates it as the example does, and writes the seed rows into it. */
export const seedErasureLogWorkflow: WorkflowFile = {
	id: 'e2eSeedErasureLog',
	name: 'e2e: seed the Erasure log for the follow-up',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		webhookTrigger('Seed', FOLLOW_UP_PATHS.seed, [0, 0]),
		dropLogNode,
		{ ...logTableNode, id: 'e2e-follow-up-create', position: [440, 0] },
		{
			id: 'e2e-follow-up-rows',
			name: 'Seed rows',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [660, 0],
			parameters: { jsCode: seedCode },
		},
		{
			id: 'e2e-follow-up-insert',
			name: 'Insert the rows',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1,
			position: [880, 0],
			parameters: {
				resource: 'row',
				operation: 'insert',
				dataTableId: LOG,
				columns: { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [] },
				options: {},
			},
		},
	],
	connections: chain(['Seed', dropLogNode.name, logTableNode.name, 'Seed rows', 'Insert the rows']),
	pinData: {},
};

/** Drops the "Erasure log", so that other tests start without one. */
export const dropErasureLogWorkflow: WorkflowFile = {
	id: 'e2eDropErasureLog',
	name: 'e2e: drop the Erasure log',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [webhookTrigger('Drop', FOLLOW_UP_PATHS.drop, [0, 0]), dropLogNode],
	connections: chain(['Drop', dropLogNode.name]),
	pinData: {},
};

/**
 * The example with one of its two schedules swapped for a webhook of the same name (a test cannot
 * wait for 08:00), the other trigger left out.
 */
function triggeredBy(run: string, leaveOut: string, id: string, webhookPath: string): WorkflowFile {
	const connections = { ...example.connections };
	delete connections[leaveOut];
	return {
		...example,
		id,
		name: `e2e: ${example.name}, "${run}" on a webhook`,
		nodes: example.nodes
			.filter((node) => node.name !== leaveOut)
			.map((node) => (node.name === run ? webhookTrigger(run, webhookPath, node.position) : node)),
		connections,
	};
}

export const followUpNowWorkflow = triggeredBy(
	DAILY_TRIGGER,
	MONTHLY_TRIGGER,
	'e2eFollowUpNow',
	FOLLOW_UP_PATHS.followUp,
);
export const summaryNowWorkflow = triggeredBy(MONTHLY_TRIGGER, DAILY_TRIGGER, 'e2eSummaryNow', FOLLOW_UP_PATHS.summary);

/** Every workflow of the follow-up tests, to publish. */
export const followUpTestWorkflows = [
	seedErasureLogWorkflow,
	dropErasureLogWorkflow,
	followUpNowWorkflow,
	summaryNowWorkflow,
];
