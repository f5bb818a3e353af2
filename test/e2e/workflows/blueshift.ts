import type { INodeParameters } from 'n8n-workflow';

import { fixtureIds } from '../../../simulator/index.mjs';
import { type ErasureStep, laneWorkflow } from './laneWorkflow';

const { crowd, trio, solo } = fixtureIds.blueshift;

export const customerStep = (
	name: string,
	operation: 'forget' | 'delete' | 'search' | 'verify',
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
	/** A request received 2026-10-01 (GDPR: due 2026-11-01), still held: checked with and without an extension. */
	verifyExtended: laneWorkflow('e2eBlueshiftVerifyExtended', 'e2e: Blueshift verify, deadline extended', [
		{
			people: [{ email: solo.email }],
			step: customerStep('Not extended', 'verify', { options: { receivedAt: '2026-10-01', regulation: 'gdpr' } }),
		},
		{
			people: [{ email: solo.email }],
			step: customerStep('Extended', 'verify', {
				options: {
					receivedAt: '2026-10-01',
					regulation: 'gdpr',
					extensionReason: 'Many requests this month',
					extensionToldOn: '2026-10-20',
				},
			}),
		},
	]),
};
