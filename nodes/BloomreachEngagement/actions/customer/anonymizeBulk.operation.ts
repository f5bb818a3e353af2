import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions, type OptionDefaults } from '../../../shared/description/options';
import { InvalidValueError } from '../../../shared/input/invalidValueError';
import { itemParameter } from '../../../shared/input/itemParameter';
import { requireText } from '../../../shared/input/valueRules';
import type { ErasureOperation } from '../../../shared/types/erasureOperation';
import { interpretBloomreachAnswer } from '../../answers';
import { bloomreach, type BloomreachConnection } from '../../vendor';

type BulkCustomer =
	{ kind: 'customerId'; idName: string; idValue: string } | { kind: 'internalId'; internalId: string };

const MAX_CUSTOMERS_PER_REQUEST = 1000;

// Bloomreach publishes no limit for /data/v2; 10 bulk requests a second already carry 10,000 customers.
const defaults: OptionDefaults = {
	targetsPerRequest: { default: MAX_CUSTOMERS_PER_REQUEST, max: MAX_CUSTOMERS_PER_REQUEST },
	batchIntervalMs: 0,
	maxRequestsPerSecond: 10,
};

export const description: INodeProperties[] = showFor(
	'customer',
	['anonymizeBulk'],
	[
		{
			displayName: 'Identify Customer By',
			name: 'identifyBy',
			type: 'options',
			options: [
				{
					name: 'Customer ID',
					value: 'customerId',
					description: 'One of your project\'s customer IDs, usually the email address under the ID "registered"',
				},
				{
					name: 'Internal ID',
					value: 'internalId',
					description: "Bloomreach's own ID, shown in the URL of the customer's profile",
				},
			],
			default: 'customerId',
		},
		{
			displayName: 'ID Name',
			name: 'customerIdName',
			type: 'string',
			default: 'registered',
			displayOptions: { show: { identifyBy: ['customerId'] } },
			description:
				'Which of your project\'s customer IDs this is. In most projects "registered" is the one that holds the email address.',
		},
		{
			displayName: 'ID Value',
			name: 'customerIdValue',
			type: 'string',
			default: '={{ $json.email }}',
			displayOptions: { show: { identifyBy: ['customerId'] } },
			description: 'The value of that ID for the customer of this item, e.g. an email address',
		},
		{
			displayName: 'Internal ID',
			name: 'internalId',
			type: 'string',
			default: '={{ $json.internal_id }}',
			displayOptions: { show: { identifyBy: ['internalId'] } },
			description: "Copy it from the address of the customer's profile in Bloomreach, e.g. 57e99c7bfb60099395b94b6d",
		},
		erasureOptions(defaults),
	],
);

export const anonymizeBulk: ErasureOperation<BulkCustomer, BloomreachConnection> = {
	vendor: bloomreach,
	name: 'anonymizeBulk',
	successStatus: 'accepted',
	options: defaults,
	readTarget(context, itemIndex) {
		const identifyBy = itemParameter(context, 'identifyBy', itemIndex, 'customerId');
		if (identifyBy === 'internalId') {
			const internalId = requireText(itemParameter(context, 'internalId', itemIndex, ''), 'Internal ID');
			if (!/^[0-9a-f]{24}$/i.test(internalId)) {
				throw new InvalidValueError('Internal ID', {
					value: internalId,
					problem: (shown) => `"${shown}" is not 24 hexadecimal characters`,
				});
			}
			return { kind: 'internalId', internalId };
		}
		if (identifyBy !== 'customerId') {
			throw new InvalidValueError('Identify Customer By', 'must be "customerId" or "internalId"');
		}
		const idName = requireText(itemParameter(context, 'customerIdName', itemIndex, ''), 'ID Name');
		const idValue = requireText(itemParameter(context, 'customerIdValue', itemIndex, ''), 'ID Value');
		return { kind: 'customerId', idName, idValue };
	},
	identifiers: (customer) =>
		customer.kind === 'internalId'
			? [{ type: 'internal_id', value: customer.internalId }]
			: [{ type: customer.idName, value: customer.idValue }],
	// NUL cannot occur inside a value (requireText refuses control characters), so it separates.
	key: (customer) =>
		customer.kind === 'internalId'
			? `internal_id\u0000${customer.internalId.toLowerCase()}`
			: `customer_id\u0000${customer.idName}\u0000${customer.idValue}`,
	buildRequest: (customers, connection) => ({
		method: 'POST',
		url: `${connection.projectUrl}/customers/anonymize_bulk`,
		body: {
			customers: customers.map((customer) =>
				customer.kind === 'internalId'
					? { internal_id: customer.internalId }
					: { customer_ids: { [customer.idName]: customer.idValue } },
			),
		},
	}),
	interpret: (answer) => interpretBloomreachAnswer(answer, 'the bulk anonymization request'),
};
