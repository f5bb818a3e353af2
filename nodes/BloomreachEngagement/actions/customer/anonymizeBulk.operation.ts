import type { INodeProperties } from 'n8n-workflow';

import type { ErasureOperation } from '../../../shared/vendor/erasureOperation';
import { InvalidValueError } from '../../../shared/input/invalidValueError';
import { requireText } from '../../../shared/input/valueRules';
import { erasureOptions, type OptionDefaults } from '../../../shared/description/options';
import { itemParameter } from '../../../shared/input/itemParameter';
import { bloomreach, type BloomreachConnection, interpretBloomreachAnswer } from '../../bloomreachApi';

type BulkCustomer =
	| { kind: 'customerId'; idName: string; idValue: string }
	| { kind: 'internalId'; internalId: string };

const show = { show: { resource: ['customer'], operation: ['anonymizeBulk'] } };

const MAX_CUSTOMERS_PER_REQUEST = 1000;

// Bloomreach publishes no limit for /data/v2; 10 bulk requests a second already carry 10,000 customers.
const defaults: OptionDefaults = {
	targetsPerRequest: { default: MAX_CUSTOMERS_PER_REQUEST, max: MAX_CUSTOMERS_PER_REQUEST },
	batchIntervalMs: 0,
	maxRequestsPerSecond: 10,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Identify Customer By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{
				name: 'Customer ID',
				value: 'customerId',
				description: 'An ID such as registered (usually the email address) or cookie',
			},
			{
				name: 'Internal ID',
				value: 'internalId',
				description: "Bloomreach's own ID, shown in the URL of the customer's profile",
			},
		],
		default: 'customerId',
		displayOptions: show,
	},
	{
		displayName: 'ID Name',
		name: 'customerIdName',
		type: 'string',
		default: 'registered',
		displayOptions: { show: { ...show.show, identifyBy: ['customerId'] } },
		description: 'The name of the customer ID in your project, e.g. registered or cookie',
	},
	{
		displayName: 'ID Value',
		name: 'customerIdValue',
		type: 'string',
		default: '={{ $json.email }}',
		displayOptions: { show: { ...show.show, identifyBy: ['customerId'] } },
		description: 'The value of that ID for the customer of this item, e.g. an email address',
	},
	{
		displayName: 'Internal ID',
		name: 'internalId',
		type: 'string',
		default: '={{ $json.internal_id }}',
		displayOptions: { show: { ...show.show, identifyBy: ['internalId'] } },
		description: '24 hexadecimal characters, e.g. 57e99c7bfb60099395b94b6d',
	},
	erasureOptions(defaults, 'anonymizeBulk'),
];

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
				throw new InvalidValueError('Internal ID', `"${internalId}" is not 24 hexadecimal characters`);
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
