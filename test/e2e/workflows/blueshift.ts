import type { INodeParameters } from 'n8n-workflow';

import { fixtureIds } from '../../../simulator/index.mjs';
import { type ErasureStep, laneWorkflow } from './laneWorkflow';

const { crowd, trio, solo } = fixtureIds.blueshift;

export const customerStep = (
	name: string,
	operation: 'forget' | 'delete' | 'search',
	parameters: INodeParameters = {},
): ErasureStep => ({
	name,
	type: 'blueshift',
	parameters: { resource: 'customer', operation, options: {}, ...parameters },
});

export const blueshiftWorkflows = {
	forget: laneWorkflow('e2eBlueshiftForget', 'e2e: Blueshift forget', [
		{ people: [{ email: solo.email }], step: customerStep('By email', 'forget') },
		{
			people: [{ customerId: 'trio-2' }],
			step: customerStep('By customer ID', 'forget', {
				email: '',
				otherIdentifiers: { customerId: '={{ $json.customerId }}' },
			}),
		},
	]),
	deleteAllMatching: laneWorkflow('e2eBlueshiftDelete', 'e2e: Blueshift delete all matching, counted first', [
		{
			people: [{ email: trio.email }, { email: crowd.email }, { email: 'nobody@example.com' }],
			step: customerStep('Delete all matching', 'delete', {
				deleteAllMatching: true,
				options: { countMatchesFirst: true },
			}),
		},
	]),
	search: laneWorkflow('e2eBlueshiftSearch', 'e2e: Blueshift search', [
		{ people: [{ email: trio.email }, { email: 'nobody@example.com' }], step: customerStep('Search', 'search') },
	]),
};
