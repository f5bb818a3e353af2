import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/description/displayOptions';
import { receiptOptions } from '../../../shared/description/options';
import { itemParameter } from '../../../shared/input/itemParameter';
import { requireText } from '../../../shared/input/valueRules';
import type { ErasureOperation, Verdict } from '../../../shared/types/erasureOperation';
import { bloomreach, type BloomreachConnection } from '../../vendor';
import {
	customerIdentifiers,
	customerIdsField,
	type CustomerIds,
	customerKey,
	readCustomerIds,
} from './customerTarget';

interface ErasedCustomer {
	customerIds: CustomerIds;
	/** The bulk_id (or other reference) Bloomreach gave the erasure request. */
	reference?: string;
}

export const description: INodeProperties[] = showFor(
	'customer',
	['verify'],
	[
		customerIdsField,
		{
			displayName:
				'Bloomreach Engagement cannot tell whether an anonymization has finished. This operation sends nothing: each receipt says "unverifiable" and what to give Bloomreach support, who can confirm it.',
			name: 'unverifiableNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Erasure Reference',
			name: 'erasureReference',
			type: 'string',
			default: '={{ $json.vendorReference }}',
			description:
				'The vendorReference (bulk_id) of the earlier Anonymize receipt, if any: Bloomreach support asks for it',
		},
		receiptOptions(),
	],
);

function unverifiable({ reference }: ErasedCustomer): Verdict {
	const askWith = reference
		? `the reference ${reference} of the erasure request`
		: 'the customer IDs and the date the erasure was requested';
	return {
		ok: true,
		verification: 'unverifiable',
		message: `Bloomreach Engagement cannot confirm that this anonymization has finished: it gives no status for it, and cannot tell an anonymized customer from an unknown one. To confirm, ask Bloomreach support, giving ${askWith}. Nothing was sent.`,
		...(reference ? { reference } : {}),
	};
}

export const verify: ErasureOperation<ErasedCustomer, BloomreachConnection> = {
	vendor: bloomreach,
	name: 'verify',
	successStatus: 'found',
	verifies: true,
	options: { batchIntervalMs: 0 },
	readTarget(context, itemIndex) {
		const customerIds = readCustomerIds(context, itemIndex);
		const given = itemParameter(context, 'erasureReference', itemIndex, '');
		const absent = given === undefined || given === null || (typeof given === 'string' && given.trim() === '');
		return absent ? { customerIds } : { customerIds, reference: requireText(given, 'Erasure Reference') };
	},
	identifiers: ({ customerIds }) => customerIdentifiers(customerIds),
	key: ({ customerIds, reference }) => `${customerKey(customerIds)} ${reference ?? ''}`,
	buildRequest: () => {
		throw new Error('Verify Erasure for Bloomreach Engagement sends no request');
	},
	answerWithoutRequest: ([target]) => unverifiable(target),
	interpret: (_answer, [target]) => unverifiable(target),
};
