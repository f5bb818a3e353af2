import type { INodeProperties } from 'n8n-workflow';

import type { Connection, ErasureOperation } from '../../../shared/types/erasureOperation';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { interpretBlueshiftAnswer } from '../../answers';
import { CUSTOMERS_PATH, MAX_PROFILES_PER_REQUEST } from '../../vendor';
import { COUNT_MATCHES_FIRST_OPTION, countMatchesFirst } from './countMatchesFirst';
import { byCustomer, customerFields, type CustomerKeys, customerPacing } from './customerTarget';

export const description: INodeProperties[] = showFor(
	'customer',
	['forget'],
	[...customerFields, erasureOptions(customerPacing, [COUNT_MATCHES_FIRST_OPTION])],
);

const ACCEPTED = `Blueshift accepted the request to forget the profiles matching these identifiers (at most ${MAX_PROFILES_PER_REQUEST} with one request): their personal data is deleted and they are no longer tracked. Blueshift does this asynchronously and it can take a few hours: this confirms the request, not its completion.`;

const TOO_MANY_MATCHES = `More than ${MAX_PROFILES_PER_REQUEST} profiles match these identifiers, and Blueshift forgets at most ${MAX_PROFILES_PER_REQUEST} with one request. Identify the person more precisely, or use Delete with Delete All Matching Profiles and run it again until Search finds no profile.`;

export const forget: ErasureOperation<CustomerKeys, Connection> = {
	...byCustomer,
	name: 'forget',
	successStatus: 'accepted',
	buildRequest: ([keys], connection) => ({
		method: 'POST',
		url: `${connection.baseUrl}${CUSTOMERS_PATH}/forget`,
		body: { ...keys },
	}),
	interpret: (answer) =>
		interpretBlueshiftAnswer(answer, ACCEPTED, { transientStatuses: [404, 409], hints: { 413: TOO_MANY_MATCHES } }),
	lookUpFirst: countMatchesFirst(
		'forget',
		(keys) => keys,
		() => ({
			limit: MAX_PROFILES_PER_REQUEST,
			advice: `Blueshift refuses to forget more than ${MAX_PROFILES_PER_REQUEST} matching profiles with one request (HTTP 413)`,
		}),
	),
};
