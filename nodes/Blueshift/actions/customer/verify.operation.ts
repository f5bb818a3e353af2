import type { INodeProperties } from 'n8n-workflow';

import type { Connection, ErasureOperation } from '../../../shared/types/erasureOperation';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { interpretSearchAnswer } from '../../answers';
import { byCustomer, customerFields, type CustomerKeys, customerPacing, searchRequest } from './customerTarget';

export const description: INodeProperties[] = showFor(
	'customer',
	['verify'],
	[...customerFields, erasureOptions(customerPacing, [], 'verification')],
);

/** Blueshift has no status endpoint: an erasure is complete when a search finds no matching profile. */
export const verify: ErasureOperation<CustomerKeys, Connection> = {
	...byCustomer,
	name: 'verify',
	successStatus: 'found',
	verifies: true,
	buildRequest: ([keys], connection) => searchRequest(keys, connection),
	interpret: (answer) =>
		interpretSearchAnswer(answer, (profiles) => {
			const count = profiles.length;
			if (count === 0) {
				return {
					ok: true,
					verification: 'completed',
					message:
						'Blueshift holds no profile matching these identifiers any more: the erasure is complete. Checked with the read-only search; nothing was changed.',
					details: { profileCount: 0 },
				};
			}
			return {
				ok: true,
				verification: 'pending',
				message: `Blueshift still holds ${count} profile${count === 1 ? '' : 's'} matching these identifiers: the erasure has not finished (Blueshift takes up to a few hours), or was never requested, or covered fewer profiles than match. Check again later; if this stays, send Forget or Delete again with Delete All Matching Profiles. Nothing was changed.`,
				details: { profileCount: count },
			};
		}),
};
