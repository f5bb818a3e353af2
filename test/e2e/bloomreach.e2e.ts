import { beforeEach, describe, expect, it } from 'vitest';

import { fixtureIds, fixtures, type SimulatorState } from '../../simulator/index.mjs';
import { executeWorkflow, outputOf } from './support/execute';
import { requestLines, simulator } from './support/simulator';
import { bloomreachWorkflows } from './workflows/bloomreach';

const { ada, grace, linus, visitor } = fixtureIds.bloomreach;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const customerIn = (state: SimulatorState, internalId: string) =>
	state.bloomreach.customers.find((customer) => customer.internal_id === internalId)!;

const seeded = (internalId: string) =>
	fixtures.bloomreach.customers.find((customer) => customer.internal_id === internalId)!;

/** What Bloomreach keeps of a customer it anonymized: a new cookie and the non-private properties. */
function expectAnonymized(state: SimulatorState, internalId: string, bulkId: string | null) {
	const { privateProperties } = fixtures.bloomreach;
	const kept = Object.entries(seeded(internalId).properties).filter(([name]) => !privateProperties.includes(name));
	const now = customerIn(state, internalId);
	expect(now.properties).toEqual(Object.fromEntries(kept));
	expect(now.ids).toEqual({ cookie: [expect.stringMatching(/^[0-9a-f-]{36}$/)] });
	expect(seeded(internalId).ids.cookie).not.toContain((now.ids.cookie as string[])[0]);
	expect(now.events).toEqual([{ type: 'anonymization', timestamp: expect.any(Number), bulk_id: bulkId }]);
}

function expectUntouched(state: SimulatorState, internalId: string) {
	const { ids, properties } = seeded(internalId);
	expect(customerIn(state, internalId)).toEqual({ internal_id: internalId, ids, properties, events: [] });
}

describe('Bloomreach Engagement in a real n8n (n8n execute)', () => {
	beforeEach(() => simulator.reset());

	it('anonymizes in bulk: one request per node, every receipt carries its bulk_id, a duplicate is sent once', async () => {
		const execution = await executeWorkflow(bloomreachWorkflows.bulk.id);

		const state = await simulator.state();
		const [byEmailRequest, byInternalIdRequest] = state.bloomreach.anonymizations;
		expect(state.bloomreach.anonymizations).toEqual([
			{
				endpoint: 'anonymize_bulk',
				bulk_id: expect.stringMatching(/^[0-9a-f]{24}$/),
				receivedAt: expect.any(Number),
				requested: 3,
				anonymized: [ada.internalId, grace.internalId],
				notFound: [{ customer_ids: { registered: 'nobody@example.com' } }],
			},
			{
				endpoint: 'anonymize_bulk',
				bulk_id: expect.stringMatching(/^[0-9a-f]{24}$/),
				receivedAt: expect.any(Number),
				requested: 1,
				anonymized: [linus.internalId],
				notFound: [],
			},
		]);
		expectAnonymized(state, ada.internalId, byEmailRequest.bulk_id);
		expectAnonymized(state, grace.internalId, byEmailRequest.bulk_id);
		expectAnonymized(state, linus.internalId, byInternalIdRequest.bulk_id);
		expectUntouched(state, visitor.internalId);

		const byEmail = outputOf(execution, 'By email');
		expect(byEmail.map(({ identifiers, duplicateOfItemIndex }) => [identifiers, duplicateOfItemIndex])).toEqual([
			[[{ type: 'registered', value: 'a***@example.com' }], undefined],
			[[{ type: 'registered', value: 'g***@example.com' }], undefined],
			[[{ type: 'registered', value: 'a***@example.com' }], 0],
			[[{ type: 'registered', value: 'n***@example.com' }], undefined],
		]);
		for (const receipt of byEmail) {
			expect(receipt).toMatchObject({
				vendor: 'Bloomreach Engagement',
				operation: 'anonymizeBulk',
				status: 'accepted',
				identifierForm: 'masked',
				vendorReference: byEmailRequest.bulk_id,
				requestNumber: 1,
				httpStatus: 200,
				attempts: 1,
				requestedAt: expect.stringMatching(ISO_TIME),
			});
			expect(receipt.message).toContain(`(bulk_id ${byEmailRequest.bulk_id})`);
		}
		expect(outputOf(execution, 'By internal ID')).toEqual([
			expect.objectContaining({
				status: 'accepted',
				identifiers: [{ type: 'internal_id', value: linus.internalId }],
				identifierForm: 'asGiven',
				vendorReference: byInternalIdRequest.bulk_id,
			}),
		]);
	});

	it('anonymizes one customer per request by several customer IDs, or by a cookie', async () => {
		const execution = await executeWorkflow(bloomreachWorkflows.single.id);

		expect((await simulator.requests()).map(({ path, body }) => [path, body])).toEqual([
			[
				'/data/v2/projects/sim-project/customers/anonymize',
				{ customer_ids: { registered: grace.registered, crm_id: grace.crmId } },
			],
			['/data/v2/projects/sim-project/customers/anonymize', { customer_ids: { cookie: visitor.cookie } }],
		]);
		const state = await simulator.state();
		expectAnonymized(state, grace.internalId, null);
		expectAnonymized(state, visitor.internalId, null);
		expectUntouched(state, ada.internalId);

		const accepted = {
			operation: 'anonymize',
			status: 'accepted',
			vendorReference: null,
			httpStatus: 200,
			requestNumber: 1,
		};
		expect(outputOf(execution, 'By registered and crm_id')).toEqual([
			expect.objectContaining({
				...accepted,
				identifiers: [
					{ type: 'registered', value: 'g***@example.com' },
					{ type: 'crm_id', value: 'CR***02' },
				],
			}),
		]);
		expect(outputOf(execution, 'By cookie')).toEqual([
			expect.objectContaining({ ...accepted, identifiers: [{ type: 'cookie', value: 'c0***05' }] }),
		]);
	});

	it('stops the execution before the first request when an item cannot be sent (n8n execute exits non-zero)', async () => {
		const execution = await executeWorkflow(bloomreachWorkflows.invalidItem.id);

		expect(execution.output).toContain('NodeOperationError: Item 2: ID Value is empty');
		// n8n 1.123 on Node 24 sometimes ends this failed run by a signal instead of exit code 1.
		expect(execution.code, execution.output.slice(-2000)).not.toBe(0);
		expect(execution.run).toBeUndefined();
		expect(await simulator.requests()).toEqual([]);
		expectUntouched(await simulator.state(), ada.internalId);
	});

	it('with a key lacking GDPR > Anonymize customer, answers a failed receipt that names the credential problem', async () => {
		const execution = await executeWorkflow(bloomreachWorkflows.readOnlyKey.id);

		expect(requestLines(await simulator.requests())).toEqual(['POST bloomreach anonymize_bulk 403']);
		expectUntouched(await simulator.state(), ada.internalId);
		expect(outputOf(execution, 'By email')).toEqual([
			expect.objectContaining({
				status: 'failed',
				httpStatus: 403,
				attempts: 1,
				vendorReference: null,
				message: 'Bloomreach refused the request (HTTP 403): No permission.',
				failure: {
					reason: 'authentication',
					description: expect.stringContaining('the permission GDPR > Anonymize customer'),
				},
			}),
		]);
	});
});
