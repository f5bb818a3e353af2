import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidValueError } from '../../../shared/input/invalidValueError';
import { itemParameter } from '../../../shared/input/itemParameter';
import { requireText } from '../../../shared/input/valueRules';
import type { Identifier } from '../../../shared/types/receipt';

/** One customer by one or more of the project's customer IDs, by ID name. */
export type CustomerIds = Record<string, string>;

/** Shown for Anonymize and Verify Erasure, which find a customer alike. */
export const customerIdsField: INodeProperties = {
	displayName: 'Customer IDs',
	name: 'customerIds',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Customer ID',
	default: { ids: [{ idName: 'registered', idValue: '={{ $json.email }}' }] },
	description: 'The IDs that identify this one customer, usually the email address under the ID "registered"',
	options: [
		{
			displayName: 'ID',
			name: 'ids',
			values: [
				{
					displayName: 'ID Name',
					name: 'idName',
					type: 'string',
					default: 'registered',
					description:
						'Which of your project\'s customer IDs this is. In most projects "registered" is the one that holds the email address.',
				},
				{
					displayName: 'ID Value',
					name: 'idValue',
					type: 'string',
					default: '',
					description: 'The value of that ID for this customer, e.g. an email address',
				},
			],
		},
	],
};

export function readCustomerIds(context: IExecuteFunctions, itemIndex: number): CustomerIds {
	const ids = itemParameter(context, 'customerIds.ids', itemIndex, []) as IDataObject[];
	if (!Array.isArray(ids) || ids.length === 0) {
		throw new InvalidValueError('Customer IDs', 'needs at least one ID name and value');
	}
	// Without a prototype, names such as "constructor" or "__proto__" are plain keys.
	const customerIds: CustomerIds = Object.create(null) as CustomerIds;
	ids.forEach((id, position) => {
		const name = requireText(id.idName, `Customer ID ${position + 1} Name`);
		if (name === '__proto__') {
			// n8n copies request bodies key by key, and that copy turns this key into a prototype.
			throw new InvalidValueError(
				`Customer ID ${position + 1} Name`,
				'"__proto__" cannot be sent: n8n drops it from request bodies',
			);
		}
		if (Object.hasOwn(customerIds, name)) {
			throw new InvalidValueError(`Customer ID ${position + 1} Name`, `"${name}" is given twice`);
		}
		customerIds[name] = requireText(id.idValue, `Customer ID ${position + 1} Value (${name})`);
	});
	return customerIds;
}

export const customerIdentifiers = (customerIds: CustomerIds): Identifier[] =>
	Object.entries(customerIds).map(([type, value]) => ({ type, value }));

export const customerKey = (customerIds: CustomerIds) => JSON.stringify(Object.entries(customerIds).sort());
