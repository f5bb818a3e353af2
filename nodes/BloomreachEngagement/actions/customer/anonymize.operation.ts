import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions, type OptionDefaults } from '../../../shared/description/options';
import type { ErasureOperation } from '../../../shared/types/erasureOperation';
import { interpretBloomreachAnswer } from '../../answers';
import { bloomreach, type BloomreachConnection } from '../../vendor';
import {
	customerIdentifiers,
	customerIdsField,
	type CustomerIds,
	customerKey,
	readCustomerIds,
} from './customerTarget';

// Bloomreach publishes no limit for /data/v2; the tracking API allows 100 requests/s per IP.
const defaults: OptionDefaults = {
	itemsPerBatch: 50,
	batchIntervalMs: 0,
	maxConcurrentRequests: 2,
	maxRequestsPerSecond: 10,
};

export const description: INodeProperties[] = showFor(
	'customer',
	['anonymize'],
	[customerIdsField, erasureOptions(defaults)],
);

export const anonymize: ErasureOperation<CustomerIds, BloomreachConnection> = {
	vendor: bloomreach,
	name: 'anonymize',
	successStatus: 'accepted',
	options: defaults,
	readTarget: readCustomerIds,
	identifiers: customerIdentifiers,
	key: customerKey,
	buildRequest: ([customerIds], connection) => ({
		method: 'POST',
		url: `${connection.projectUrl}/customers/anonymize`,
		body: { customer_ids: customerIds },
	}),
	interpret: (answer) => interpretBloomreachAnswer(answer, 'the request to anonymize the customer with these IDs'),
};
