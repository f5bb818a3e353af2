import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireEmail, requirePhone } from '../../../shared/input/valueRules';
import type { OptionDefaults } from '../../../shared/description/options';
import { itemParameter } from '../../../shared/input/itemParameter';
import type { Identifier } from '../../../shared/types/receipt';
import type { ErasureOperation } from '../../../shared/types/erasureOperation';
import { customerGauge, type CustomerGaugeConnection } from '../../vendor';

/** One CustomerGauge contact: by email or by telephone, never both. */
export interface ContactTarget {
	identifyBy: 'email' | 'telephone';
	value: string;
}

/** Shown for every operation: they all find a contact alike. */
export const contactFields: INodeProperties[] = [
	{
		displayName: 'Identify Contact By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'Every record with this email address' },
			{ name: 'Telephone', value: 'telephone', description: 'Every record with this SMS/telephone number' },
		],
		default: 'email',
		description: 'CustomerGauge finds a contact by one identifier per request',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@example.com',
		default: '={{ $json.email }}',
		required: true,
		displayOptions: { show: { identifyBy: ['email'] } },
		description: "The contact's email address",
	},
	{
		displayName: 'Telephone',
		name: 'telephone',
		type: 'string',
		placeholder: '+44 20 7946 0958',
		default: '={{ $json.phone }}',
		required: true,
		displayOptions: { show: { identifyBy: ['telephone'] } },
		description:
			"The contact's SMS/telephone number as CustomerGauge stores it. Spaces, dots, hyphens, brackets and slashes are removed; 6 to 15 digits with an optional leading + must remain.",
	},
];

function readContact(context: IExecuteFunctions, itemIndex: number): ContactTarget {
	const identifyBy = itemParameter(context, 'identifyBy', itemIndex) as ContactTarget['identifyBy'];
	if (identifyBy === 'telephone') {
		return { identifyBy, value: requirePhone(itemParameter(context, 'telephone', itemIndex), 'Telephone') };
	}
	return { identifyBy: 'email', value: requireEmail(itemParameter(context, 'email', itemIndex), 'Email') };
}

const contactIdentifiers = (target: ContactTarget): Identifier[] => [{ type: target.identifyBy, value: target.value }];

const contactKey = (target: ContactTarget) =>
	`${target.identifyBy}:${target.identifyBy === 'email' ? target.value.toLowerCase() : target.value}`;

/** Every operation paces alike: one contact per request, limits unpublished. */
export const contactPacing: OptionDefaults = {
	itemsPerBatch: 50,
	batchIntervalMs: 0,
	maxConcurrentRequests: 2,
	maxRequestsPerSecond: 5,
};

/** What every operation on one contact, found by email or telephone, has in common. */
export const byContact = {
	vendor: customerGauge,
	options: contactPacing,
	readTarget: readContact,
	identifiers: contactIdentifiers,
	key: contactKey,
} satisfies Partial<ErasureOperation<ContactTarget, CustomerGaugeConnection>>;
