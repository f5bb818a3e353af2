import { simulatorCredentialRefs } from '../../../scripts/lib/n8n-runtime.mjs';
import type { WorkflowFile } from './laneWorkflow';

export const CANCEL_WEBHOOK_PATH = 'e2e-erase-slowly';

/**
 * A long, paced run to stop from n8n: a webhook that answers at once, then CustomerGauge
 * anonymizes every person it was given at 5 requests a second, one at a time.
 */
export const slowErasureWorkflow: WorkflowFile = {
	id: 'e2eSlowErasure',
	name: 'e2e: a slow, paced erasure to stop',
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: [
		{
			id: 'e2eSlowErasure-webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'a1b2c3d4-0003-4000-8000-00000000cace',
			parameters: { httpMethod: 'POST', path: CANCEL_WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: 'e2eSlowErasure-split',
			name: 'One item per person',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.people', options: {} },
		},
		{
			id: 'e2eSlowErasure-anonymize',
			name: 'Anonymize slowly',
			type: 'n8n-nodes-erasure.customerGauge',
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				resource: 'contact',
				operation: 'anonymize',
				identifyBy: 'email',
				email: '={{ $json.email }}',
				options: { maxRequestsPerSecond: 5, maxConcurrentRequests: 1 },
			},
			credentials: { customerGaugeApi: simulatorCredentialRefs.customerGaugeApi },
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'One item per person', type: 'main', index: 0 }]] },
		'One item per person': { main: [[{ node: 'Anonymize slowly', type: 'main', index: 0 }]] },
	},
};
