import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Connection, LookUpFirst, Verdict } from '../../../shared/types/erasureOperation';
import { interpretSearchAnswer } from '../../answers';
import { type CustomerKeys, searchRequest } from './customerTarget';

export const COUNT_MATCHES_FIRST_OPTION: INodeProperties = {
	displayName: 'Count Matches First',
	name: 'countMatchesFirst',
	type: 'boolean',
	default: false,
	description:
		'Whether to search for the matching profiles before each request, so the receipt says how many matched and how many this request cannot cover. A customer without any match gets the status "skipped" and no request. Searches count toward Max Requests per Second.',
};

/** How many matching profiles one request erases, and what to do about the rest. */
export interface Coverage {
	limit: number;
	advice: string;
}

export function countMatchesFirst<Target>(
	request: 'delete' | 'forget',
	keysOf: (target: Target) => CustomerKeys,
	coverage: (target: Target) => Coverage,
) {
	return (context: IExecuteFunctions): LookUpFirst<Target, Connection> | undefined => {
		if (context.getNodeParameter('options.countMatchesFirst', 0, false) !== true) return undefined;
		return {
			description: 'the search for matching profiles (Count Matches First)',
			buildRequest: (target, connection) => searchRequest(keysOf(target), connection),
			interpret: (answer, target) =>
				interpretSearchAnswer(answer, (profiles) => matchesFound(request, profiles.length, coverage(target))),
		};
	};
}

/** No match: nothing to erase, the request is skipped. Otherwise how many the request covers. */
function matchesFound(request: 'delete' | 'forget', matched: number, { limit, advice }: Coverage): Verdict {
	if (matched === 0) {
		return {
			ok: true,
			skipped: true,
			message: `No Blueshift profile matched these identifiers when searched, so no ${request} request was sent: there was nothing to erase.`,
			details: { matchedProfiles: 0, profilesNotCovered: 0 },
		};
	}
	const notCovered = Math.max(0, matched - limit);
	const covered = notCovered
		? `this request covers at most ${limit}, so ${notCovered} ${notCovered === 1 ? 'is' : 'are'} not covered by it: ${advice}`
		: `this request covers ${matched === 1 ? 'it' : 'all of them'}`;
	return {
		ok: true,
		message: `Searched first: ${matched} matching profile${matched === 1 ? '' : 's'}; ${covered}.`,
		details: { matchedProfiles: matched, profilesNotCovered: notCovered },
	};
}
