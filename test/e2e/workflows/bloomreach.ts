import { fixtureIds } from '../../../simulator/index.mjs';
import { type ErasureStep, laneWorkflow } from './laneWorkflow';
import { bloomreachBulkByEmail } from '../../harness/nodeParameters';

const { ada, grace, linus, visitor } = fixtureIds.bloomreach;

/** A private API key without the permission GDPR > Anonymize customer (the simulator's read-only key). */
export const readOnlyBloomreachCredential = { id: 'e2eBloomreachRO1', name: 'Bloomreach Engagement (read-only key)' };

const bulkByEmail = (name: string, options = {}): ErasureStep => ({
	name,
	type: 'bloomreachEngagement',
	parameters: {
		...bloomreachBulkByEmail,
		options,
	},
});

const anonymizeBy = (name: string, ids: Record<string, string>): ErasureStep => ({
	name,
	type: 'bloomreachEngagement',
	parameters: {
		resource: 'customer',
		operation: 'anonymize',
		customerIds: { ids: Object.entries(ids).map(([idName, idValue]) => ({ idName, idValue })) },
		options: {},
	},
});

export const bloomreachWorkflows = {
	bulk: laneWorkflow('e2eBloomreachBulk', 'e2e: Bloomreach anonymize in bulk', [
		{
			people: [ada.registered, grace.registered, ada.registered, 'nobody@example.com'].map((email) => ({ email })),
			step: bulkByEmail('By email'),
		},
		{
			people: [{ internal_id: linus.internalId }],
			step: {
				name: 'By internal ID',
				type: 'bloomreachEngagement',
				parameters: {
					resource: 'customer',
					operation: 'anonymizeBulk',
					identifyBy: 'internalId',
					options: { identifierInOutput: 'asGiven' },
				},
			},
		},
	]),
	single: laneWorkflow('e2eBloomreachSingle', 'e2e: Bloomreach anonymize', [
		{
			people: [{ email: grace.registered, crmId: grace.crmId }],
			step: anonymizeBy('By registered and crm_id', { registered: '={{ $json.email }}', crm_id: '={{ $json.crmId }}' }),
		},
		{ people: [{ cookie: visitor.cookie }], step: anonymizeBy('By cookie', { cookie: '={{ $json.cookie }}' }) },
	]),
	invalidItem: laneWorkflow('e2eBloomreachInvalid', 'e2e: Bloomreach stops before sending', [
		{ people: [{ email: ada.registered }, { name: 'no email' }], step: bulkByEmail('By email') },
	]),
	readOnlyKey: laneWorkflow('e2eBloomreachReadOnly', 'e2e: Bloomreach with a key lacking the permission', [
		{
			people: [{ email: ada.registered }],
			step: { ...bulkByEmail('By email'), credential: readOnlyBloomreachCredential, onError: 'continueRegularOutput' },
		},
	]),
};
