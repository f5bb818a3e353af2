import type { INodeProperties } from 'n8n-workflow';

import type { Connection, ErasureOperation } from '../../../shared/types/erasureOperation';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { interpretSearchAnswer } from '../../answers';
import { byCustomer, customerFields, type CustomerKeys, customerPacing, searchRequest } from './customerTarget';

export const description: INodeProperties[] = showFor(
	'customer',
	['search'],
	[...customerFields, erasureOptions(customerPacing, [], 'readOnly')],
);

export const search: ErasureOperation<CustomerKeys, Connection> = {
	...byCustomer,
	name: 'search',
	successStatus: 'found',
	buildRequest: ([keys], connection) => searchRequest(keys, connection),
	interpret: (answer) =>
		interpretSearchAnswer(answer, (profiles) => {
			const count = profiles.length;
			return {
				ok: true,
				nothingHeld: count === 0,
				message:
					count === 0
						? 'Blueshift holds no profile matching these identifiers. This search changed nothing.'
						: `Blueshift holds ${count} profile${count === 1 ? '' : 's'} matching these identifiers. This search changed nothing.`,
				details: { profileCount: count, profiles },
			};
		}),
};
