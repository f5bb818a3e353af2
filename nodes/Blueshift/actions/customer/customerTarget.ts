import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireEmail } from '../../../shared/input/valueRules';
import type { Connection, ErasureOperation, VendorRequest } from '../../../shared/types/erasureOperation';
import { InvalidValueError } from '../../../shared/input/invalidValueError';
import { requireText } from '../../../shared/input/valueRules';
import { itemParameter } from '../../../shared/input/itemParameter';
import type { OptionDefaults } from '../../../shared/description/options';
import type { Identifier } from '../../../shared/types/receipt';
import { blueshift, CUSTOMERS_PATH } from '../../vendor';

/** The identifiers Blueshift matches profiles by, named as its API names them; at least one is set. */
export type CustomerKeys = Partial<Record<'email' | 'customer_id' | 'cookie' | 'device_id', string>>;

const OTHER_IDENTIFIERS = [
	{
		parameter: 'customerId',
		key: 'customer_id',
		displayName: 'Customer ID',
		description: 'Your external customer ID for this person',
	},
	{
		parameter: 'cookie',
		key: 'cookie',
		displayName: 'Cookie',
		description: 'The cookie ID your website assigned to this person',
	},
	{
		parameter: 'deviceId',
		key: 'device_id',
		displayName: 'Device ID',
		description: "The ID of this person's mobile or web device",
	},
] as const;

/** Shown for every operation: they all find a customer alike. */
export const customerFields: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@example.com',
		default: '={{ $json.email }}',
		description:
			"The customer's email address. Leave empty to identify the customer by the other identifiers only; at least one identifier is needed.",
	},
	{
		displayName: 'Other Identifiers',
		name: 'otherIdentifiers',
		type: 'collection',
		placeholder: 'Add Identifier',
		default: {},
		description: 'Identifiers sent together with the email, in the same request',
		options: OTHER_IDENTIFIERS.map(({ parameter, displayName, description }) => ({
			displayName,
			name: parameter,
			type: 'string' as const,
			default: '',
			description,
		})),
	},
];

const isAbsent = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export function readCustomerKeys(context: IExecuteFunctions, itemIndex: number): CustomerKeys {
	const keys: CustomerKeys = {};
	const email = itemParameter(context, 'email', itemIndex, '');
	if (!isAbsent(email)) keys.email = requireEmail(email, 'Email');
	const others = itemParameter(context, 'otherIdentifiers', itemIndex, {}) as IDataObject;
	for (const { parameter, key, displayName } of OTHER_IDENTIFIERS) {
		const value = others[parameter];
		if (!isAbsent(value)) keys[key] = requireText(value, displayName);
	}
	if (Object.keys(keys).length === 0) {
		throw new InvalidValueError(
			'Identifiers',
			'are all empty: give at least one of Email, Customer ID, Cookie or Device ID',
		);
	}
	return keys;
}

export const customerIdentifiers = (keys: CustomerKeys): Identifier[] =>
	Object.entries(keys).map(([type, value]) => ({ type, value }));

/** Emails are compared without case; the other identifiers exactly. */
export const customerKey = ({ email, ...others }: CustomerKeys) =>
	JSON.stringify([email?.toLowerCase(), others.customer_id, others.cookie, others.device_id]);

export const searchRequest = (keys: CustomerKeys, connection: Connection): VendorRequest => ({
	method: 'GET',
	url: `${connection.baseUrl}${CUSTOMERS_PATH}`,
	qs: { ...keys },
});

/** Blueshift recommends at most 5 API calls per second, look-ups included. */
export const customerPacing: OptionDefaults = {
	itemsPerBatch: 50,
	batchIntervalMs: 0,
	maxConcurrentRequests: 2,
	maxRequestsPerSecond: 5,
};

/** What every operation on one customer, found by these identifiers, has in common. */
export const byCustomer = {
	vendor: blueshift,
	options: customerPacing,
	readTarget: readCustomerKeys,
	identifiers: customerIdentifiers,
	key: customerKey,
} satisfies Partial<ErasureOperation<CustomerKeys, Connection>>;
