/**
 * The erasure jobs the throughput benchmark runs, each two ways: with this package's node, and the
 * way an n8n user would without it — n8n's HTTP Request node, one request per item, paced with its
 * Batching option (items per batch, batch interval) as n8n's documentation suggests for rate limits.
 */
import type { ICredentialDataDecryptedObject, INodeParameters, INodeType } from 'n8n-workflow';

import { BloomreachEngagement } from '../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../nodes/CustomerGauge/CustomerGauge.node';
import type { SimulatorState, VendorName } from '../simulator/index.mjs';
import type { SimulatorProcess } from './simulatorProcess';
import { bloomreachBulkByEmail, blueshiftByEmail, customerGaugeAnonymizeByEmail } from '../test/harness/nodeParameters';

/** The pace both ways are given: the simulator enforces the same limit. */
export interface Pace {
	requestsPerSecond: number;
	/** Our node's Max Concurrent Requests; the HTTP Request node sends each batch all at once. */
	concurrency: number;
}

export interface NodeRun {
	node: INodeType;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

export interface Job {
	name: string;
	vendor: VendorName;
	/** People one request of our node carries. */
	itemsPerRequest: number;
	ours(simulator: SimulatorProcess, pace: Pace): NodeRun;
	/** HTTP Request node parameters and credentials, without the node itself. */
	httpRequest(simulator: SimulatorProcess, pace: Pace): Omit<NodeRun, 'node'>;
	/** How many people the simulator's store shows as erased. */
	erased(state: SimulatorState[VendorName]): number;
}

/** HTTP Request's Batching option: `requestsPerSecond` items, then a one-second pause. */
const batching = (pace: Pace) => ({
	batching: { batch: { batchSize: pace.requestsPerSecond, batchInterval: 1000 } },
});

const ourPacing = (pace: Pace) => ({
	maxRequestsPerSecond: pace.requestsPerSecond,
	maxConcurrentRequests: pace.concurrency,
});

export const bloomreachBulk: Job = {
	name: 'Bloomreach anonymize',
	vendor: 'bloomreach',
	itemsPerRequest: 1000,
	// The bulk operation sends one request at a time, at most 10 a second: its defaults are what a
	// user gets.
	ours: (simulator) => {
		const { projectToken, apiKeyId, apiSecret } = simulator.credentials.bloomreach;
		return {
			node: new BloomreachEngagement(),
			parameters: {
				...bloomreachBulkByEmail,
				options: {},
			},
			credentials: { bloomreachEngagementApi: { instanceUrl: simulator.url, projectToken, apiKeyId, apiSecret } },
		};
	},
	httpRequest: (simulator, pace) => {
		const { projectToken, apiKeyId, apiSecret } = simulator.credentials.bloomreach;
		return {
			parameters: {
				method: 'POST',
				url: `${simulator.url}/data/v2/projects/${projectToken}/customers/anonymize`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpBasicAuth',
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: '={ "customer_ids": { "registered": "{{ $json.email }}" } }',
				options: batching(pace),
			},
			credentials: { httpBasicAuth: { user: apiKeyId, password: apiSecret } },
		};
	},
	erased: (state) =>
		(state as SimulatorState['bloomreach']).anonymizations.reduce((sum, { anonymized }) => sum + anonymized.length, 0),
};

export const customerGaugeAnonymize: Job = {
	name: 'CustomerGauge anonymize',
	vendor: 'customerGauge',
	itemsPerRequest: 1,
	ours: (simulator, pace) => ({
		node: new CustomerGauge(),
		parameters: {
			...customerGaugeAnonymizeByEmail,
			options: ourPacing(pace),
		},
		credentials: {
			customerGaugeApi: {
				region: 'custom',
				customBaseUrl: simulator.url,
				apiKey: simulator.credentials.customerGauge.apiKey,
			},
		},
	}),
	httpRequest: (simulator, pace) => ({
		parameters: {
			method: 'POST',
			url: `${simulator.url}/v4.1/anonymize.json`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: { parameters: [{ name: 'email', value: '={{ $json.email }}' }] },
			options: batching(pace),
		},
		credentials: {
			httpHeaderAuth: { name: 'Authorization', value: `api_key ${simulator.credentials.customerGauge.apiKey}` },
		},
	}),
	erased: (state) =>
		(state as SimulatorState['customerGauge']).anonymizations.reduce((sum, { recordIds }) => sum + recordIds.length, 0),
};

export const blueshiftForget: Job = {
	name: 'Blueshift forget',
	vendor: 'blueshift',
	itemsPerRequest: 1,
	ours: (simulator, pace) => ({
		node: new Blueshift(),
		parameters: {
			...blueshiftByEmail('forget'),
			options: ourPacing(pace),
		},
		credentials: {
			blueshiftApi: {
				region: 'custom',
				customBaseUrl: simulator.url,
				userApiKey: simulator.credentials.blueshift.userApiKey,
			},
		},
	}),
	httpRequest: (simulator, pace) => ({
		parameters: {
			method: 'POST',
			url: `${simulator.url}/api/v1/customers/forget`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBasicAuth',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: { parameters: [{ name: 'email', value: '={{ $json.email }}' }] },
			options: batching(pace),
		},
		credentials: { httpBasicAuth: { user: simulator.credentials.blueshift.userApiKey, password: '' } },
	}),
	erased: (state) =>
		(state as SimulatorState['blueshift']).jobs.reduce((sum, { deletedUuids }) => sum + deletedUuids.length, 0),
};
