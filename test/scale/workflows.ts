import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INode, INodeParameters } from 'n8n-workflow';

import { repoRoot, simulatorCredentialRefs, type SimulatorCredentialType } from '../../scripts/lib/n8n-runtime.mjs';

interface WebhookWorkflow {
	id: string;
	name: string;
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	[key: string]: unknown;
}

/** The published example "Erase a list of people (webhook)", as in examples/. */
export const webhookExample = JSON.parse(
	readFileSync(path.join(repoRoot, 'examples', 'erase-people-webhook.json'), 'utf8'),
) as WebhookWorkflow;
export const EXAMPLE_PATH = 'erase-people';
const EXAMPLE_ERASURE_NODE = 'Bloomreach: anonymize in bulk';

interface Erasure {
	type: 'bloomreachEngagement' | 'customerGauge' | 'blueshift';
	credentialType: SimulatorCredentialType;
	parameters: INodeParameters;
}

/**
 * The example with another erasure step and its own webhook path: the same Webhook → one item per
 * person → erasure (On Error: Continue) → answer with the receipts. Receipts carry the identifiers
 * as given, so each one can be matched to its person.
 */
function variantOfExample(
	id: string,
	webhookPath: string,
	erasure: Erasure,
	options: INodeParameters,
): WebhookWorkflow {
	const workflow = structuredClone(webhookExample);
	workflow.id = id;
	workflow.name = `scale: ${webhookPath}`;
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!;
	webhook.parameters.path = webhookPath;
	webhook.webhookId = randomUUID();
	const node = workflow.nodes.find((candidate) => candidate.name === EXAMPLE_ERASURE_NODE)!;
	node.type = `n8n-nodes-erasure.${erasure.type}`;
	node.parameters = { ...erasure.parameters, options: { identifierInOutput: 'asGiven', ...options } };
	node.credentials = { [erasure.credentialType]: simulatorCredentialRefs[erasure.credentialType] };
	return savingSuccesses(workflow);
}

/**
 * The examples save no successful execution (docs/operators.md, Execution data and what is stored): the scale test counts
 * executions per worker from n8n's records, so its copies save them. Nothing else changes.
 */
function savingSuccesses(workflow: WebhookWorkflow): WebhookWorkflow {
	return { ...workflow, settings: { ...(workflow.settings as object), saveDataSuccessExecution: 'all' } };
}

/** The example as published, on its own path, saving its successful executions for the count. */
function publishedExample(): WebhookWorkflow {
	const workflow = structuredClone(webhookExample);
	workflow.id = 'scaleExample';
	workflow.name = 'scale: the webhook example as published';
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!;
	webhook.parameters.path = 'scale-example';
	webhook.webhookId = randomUUID();
	return savingSuccesses(workflow);
}

const bloomreachBulk: Erasure = {
	type: 'bloomreachEngagement',
	credentialType: 'bloomreachEngagementApi',
	parameters: {
		resource: 'customer',
		operation: 'anonymizeBulk',
		identifyBy: 'customerId',
		customerIdName: 'registered',
		customerIdValue: '={{ $json.email }}',
	},
};

/** Max Requests per Second on every node: the vendor's limit divided by the number of workers. */
export function scaleWorkflows(perWorkerRate: { bloomreach: number; customerGauge: number; blueshift: number }) {
	return {
		example: publishedExample(),
		bloomreach: variantOfExample('scaleBloomreach', 'scale-bloomreach', bloomreachBulk, {
			maxRequestsPerSecond: perWorkerRate.bloomreach,
		}),
		customerGauge: variantOfExample(
			'scaleCustomerGauge',
			'scale-customergauge',
			{
				type: 'customerGauge',
				credentialType: 'customerGaugeApi',
				parameters: { resource: 'contact', operation: 'anonymize', identifyBy: 'email', email: '={{ $json.email }}' },
			},
			{ maxRequestsPerSecond: perWorkerRate.customerGauge },
		),
		blueshift: variantOfExample(
			'scaleBlueshift',
			'scale-blueshift',
			{
				type: 'blueshift',
				credentialType: 'blueshiftApi',
				parameters: { resource: 'customer', operation: 'forget', email: '={{ $json.email }}' },
			},
			{ maxRequestsPerSecond: perWorkerRate.blueshift },
		),
		/** Ten customers a request, one request a second: a bulk erasure slow enough to kill a worker during it. */
		slowBulk: variantOfExample('scaleSlowBulk', 'scale-slow-bulk', bloomreachBulk, {
			customersPerRequest: 10,
			batchInterval: 1000,
			maxRequestsPerSecond: 1,
		}),
	};
}
