import type { INodeProperties } from 'n8n-workflow';

import type { Connection, ErasureOperation } from '../../../shared/types/erasureOperation';
import { itemParameter } from '../../../shared/input/itemParameter';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { interpretBlueshiftAnswer } from '../../answers';
import { blueshift, CUSTOMERS_PATH, MAX_PROFILES_PER_REQUEST } from '../../vendor';
import { COUNT_MATCHES_FIRST_OPTION, countMatchesFirst } from './countMatchesFirst';
import {
	customerIdentifiers,
	customerKey,
	customerFields,
	type CustomerKeys,
	customerPacing,
	readCustomerKeys,
} from './customerTarget';

interface Deletion {
	keys: CustomerKeys;
	deleteAllMatching: boolean;
}

export const description: INodeProperties[] = showFor(
	'customer',
	['delete'],
	[
		...customerFields,
		{
			displayName: 'Delete All Matching Profiles',
			name: 'deleteAllMatching',
			type: 'boolean',
			default: false,
			description: `Whether to delete every profile that matches, up to ${MAX_PROFILES_PER_REQUEST} with one request. Off, Blueshift deletes only the first matching profile.`,
		},
		erasureOptions(customerPacing, [COUNT_MATCHES_FIRST_OPTION]),
	],
);

const ASYNCHRONOUS =
	'Deletion is asynchronous and can take a few hours: this confirms the request, not its completion.';

const accepted = ({ deleteAllMatching }: Deletion) =>
	deleteAllMatching
		? `Blueshift accepted the deletion of the profiles matching these identifiers, at most ${MAX_PROFILES_PER_REQUEST} with one request. ${ASYNCHRONOUS}`
		: `Blueshift accepted the deletion of the first profile matching these identifiers; other matching profiles are kept (Delete All Matching Profiles is off). ${ASYNCHRONOUS}`;

export const deleteCustomer: ErasureOperation<Deletion, Connection> = {
	vendor: blueshift,
	name: 'delete',
	successStatus: 'accepted',
	options: customerPacing,
	readTarget: (context, itemIndex) => ({
		keys: readCustomerKeys(context, itemIndex),
		deleteAllMatching: itemParameter(context, 'deleteAllMatching', itemIndex, false) === true,
	}),
	identifiers: ({ keys }) => customerIdentifiers(keys),
	key: ({ keys, deleteAllMatching }) => `${customerKey(keys)}:${deleteAllMatching}`,
	buildRequest: ([{ keys, deleteAllMatching }], connection) => ({
		method: 'POST',
		url: `${connection.baseUrl}${CUSTOMERS_PATH}/delete`,
		body: { ...keys, delete_all_matching_customers: deleteAllMatching },
	}),
	interpret: (answer, [deletion]) => interpretBlueshiftAnswer(answer, accepted(deletion)),
	lookUpFirst: countMatchesFirst(
		'delete',
		({ keys }) => keys,
		({ deleteAllMatching }) =>
			deleteAllMatching
				? {
						limit: MAX_PROFILES_PER_REQUEST,
						advice: 'run the node again for this person once Blueshift has finished deleting (it can take a few hours)',
					}
				: {
						limit: 1,
						advice: `turn on Delete All Matching Profiles to delete up to ${MAX_PROFILES_PER_REQUEST} with one request`,
					},
	),
};
