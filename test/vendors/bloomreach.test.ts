import { createHash } from 'node:crypto';

import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { runNode, type OnError } from '../harness/engine';
import { acceptedReceipt, notSentReceipt, sentReceipt } from '../harness/receipts';
import { bloomreachBulkByEmail } from '../harness/nodeParameters';

const BASE = 'https://api.exponea.com';
const PROJECT = '/data/v2/projects/proj-token-1';
const credentials = {
	bloomreachEngagementApi: {
		instanceUrl: BASE,
		projectToken: 'proj-token-1',
		apiKeyId: 'key-id-1',
		apiSecret: 'secret-value-1',
	},
};
const basicAuth = `Basic ${Buffer.from('key-id-1:secret-value-1').toString('base64')}`;

const people = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ email: `person${index}@example.com` }));

function bulk(
	items: Array<Record<string, unknown>>,
	options: Record<string, unknown> = {},
	onError?: OnError,
	extra: Record<string, unknown> = {},
) {
	return runNode({
		node: new BloomreachEngagement(),
		parameters: {
			...bloomreachBulkByEmail,
			...extra,
			options: { identifierInOutput: 'asGiven', ...options },
		},
		credentials,
		items,
		onError,
	});
}

/** Records every bulk request body; answers each with the next reply. */
function bulkEndpoint(replies: Array<[number, unknown, Record<string, string>?]>) {
	const bodies: Array<{ customers: unknown[] }> = [];
	const scope = nock(BASE).matchHeader('authorization', basicAuth);
	for (const [status, body, headers] of replies) {
		scope
			.post(`${PROJECT}/customers/anonymize_bulk`, (sent) => {
				bodies.push(sent);
				return true;
			})
			.reply(status, body as nock.Body, headers);
	}
	return { bodies, scope };
}

describe('Bloomreach Engagement: Anonymize in Bulk', () => {
	it('packs 2500 customers into exactly 3 requests of 1000/1000/500 and answers every item', async () => {
		const { bodies, scope } = bulkEndpoint([
			[200, { success: true, bulk_id: 'bulk-1' }],
			[200, { success: true, bulk_id: 'bulk-2' }],
			[200, { success: true, bulk_id: 'bulk-3' }],
		]);
		const input = people(2500);

		const result = await bulk(input);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(bodies.map((body) => body.customers.length)).toEqual([1000, 1000, 500]);
		expect(bodies.flatMap((body) => body.customers)).toEqual(
			input.map(({ email }) => ({ customer_ids: { registered: email } })),
		);
		expect(result.main).toHaveLength(2500);
		result.main.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const request = Math.floor(index / 1000) + 1;
			expect(item.json).toEqual(
				acceptedReceipt({
					vendor: 'Bloomreach Engagement',
					operation: 'anonymizeBulk',
					identifiers: [{ type: 'registered', value: input[index].email }],
					vendorReference: `bulk-${request}`,
					requestNumber: request,
					message: `Bloomreach accepted the bulk anonymization request (bulk_id bulk-${request}). Bloomreach answers the same whether or not it holds a customer with these IDs, so this confirms the request only: not that such a customer existed, nor that anonymization has finished (it runs asynchronously).`,
				}),
			);
		});
	});

	it('mixes customer IDs and internal IDs in one request, chosen per item by expression', async () => {
		const { bodies } = bulkEndpoint([[200, { success: true, bulk_id: 'bulk-mixed' }]]);
		const input = [
			{ email: 'a@example.com' },
			{ internal_id: '57e99c7bfb60099395b94b6d' },
			{ email: 'c@example.com', idName: 'cookie' },
		];

		const result = await bulk(input, { customersPerRequest: 1000 }, undefined, {
			identifyBy: '={{ $json.internal_id ? "internalId" : "customerId" }}',
			customerIdName: '={{ $json.idName ?? "registered" }}',
			internalId: '={{ $json.internal_id }}',
		});

		expect(bodies).toEqual([
			{
				customers: [
					{ customer_ids: { registered: 'a@example.com' } },
					{ internal_id: '57e99c7bfb60099395b94b6d' },
					{ customer_ids: { cookie: 'c@example.com' } },
				],
			},
		]);
		expect(result.main.map((item) => item.json.identifiers)).toEqual([
			[{ type: 'registered', value: 'a@example.com' }],
			[{ type: 'internal_id', value: '57e99c7bfb60099395b94b6d' }],
			[{ type: 'cookie', value: 'c@example.com' }],
		]);
		expect(result.main.every((item) => item.json.vendorReference === 'bulk-mixed')).toBe(true);
	});

	it('sends a customer who appears twice once, and still answers both items', async () => {
		const { bodies } = bulkEndpoint([[200, { success: true, bulk_id: 'bulk-dup' }]]);
		const input = [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: ' a@example.com ' }];

		const result = await bulk(input);

		expect(bodies[0].customers).toEqual([
			{ customer_ids: { registered: 'a@example.com' } },
			{ customer_ids: { registered: 'b@example.com' } },
		]);
		expect(result.main).toHaveLength(3);
		expect(result.main[2].pairedItem).toEqual({ item: 2 });
		expect(result.main[2].json).toMatchObject({
			status: 'accepted',
			vendorReference: 'bulk-dup',
			duplicateOfItemIndex: 0,
			identifiers: [{ type: 'registered', value: 'a@example.com' }],
		});
		expect(result.main[2].json.message).toContain('The same person as item 1: sent once');
		expect(result.main[0].json.duplicateOfItemIndex).toBeUndefined();
	});

	it('waits for Retry-After on 429 and then succeeds, counting both attempts', async () => {
		const { bodies, scope } = bulkEndpoint([
			[429, { success: false, errors: ['Too many requests'] }, { 'Retry-After': '1' }],
			[200, { success: true, bulk_id: 'bulk-after-429' }],
		]);
		const started = Date.now();

		const result = await bulk(people(2));

		expect(scope.isDone()).toBe(true);
		expect(bodies).toHaveLength(2);
		expect(bodies[1]).toEqual(bodies[0]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(result.main.map((item) => item.json)).toEqual([
			expect.objectContaining({ status: 'accepted', attempts: 2, httpStatus: 200, vendorReference: 'bulk-after-429' }),
			expect.objectContaining({ status: 'accepted', attempts: 2, httpStatus: 200, vendorReference: 'bulk-after-429' }),
		]);
	});

	it('retries 5xx until Max Attempts is used up, then fails every item of that request', async () => {
		const { bodies, scope } = bulkEndpoint([
			[503, { success: false, message: 'Service unavailable' }],
			[502, '<html><body>Bad gateway</body></html>'],
			[500, { success: false, errors: ['Internal error'] }],
		]);

		const result = await bulk(people(2), { maxAttempts: 3, maxRetryWait: 20 }, 'continueRegularOutput');

		expect(scope.isDone()).toBe(true);
		expect(bodies).toHaveLength(3);
		for (const [index, item] of result.main.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual(
				sentReceipt({
					vendor: 'Bloomreach Engagement',
					operation: 'anonymizeBulk',
					status: 'failed',
					identifiers: [{ type: 'registered', value: `person${index}@example.com` }],
					httpStatus: 500,
					attempts: 3,
					message: 'Bloomreach refused the request (HTTP 500): Internal error. Gave up after 3 attempts.',
					failure: {
						reason: 'vendor_unavailable',
						description: 'Bloomreach refused the request (HTTP 500): Internal error.',
					},
				}),
			);
		}
	});

	it('does not retry 401 and explains the credential and permission to check', async () => {
		const { bodies } = bulkEndpoint([[401, { success: false, error: 'Access key not provided' }]]);

		const result = await bulk(people(1), {}, 'continueRegularOutput');

		expect(bodies).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 401,
			attempts: 1,
			message: 'Bloomreach refused the request (HTTP 401): Access key not provided.',
			failure: { reason: 'authentication', description: expect.stringContaining('GDPR > Anonymize customer') },
		});
	});

	it('treats 400 "Could not authenticate" as a credential problem', async () => {
		bulkEndpoint([[400, { success: false, error: 'Could not authenticate' }]]);

		const result = await bulk(people(1), {}, 'continueRegularOutput');

		expect(result.main[0].json.failure).toEqual({
			reason: 'authentication',
			description: expect.stringContaining('API key ID and secret'),
		});
		expect(result.main[0].json.attempts).toBe(1);
	});

	it('treats a 200 whose body says success:false as a failure with the vendor message', async () => {
		bulkEndpoint([[200, { success: false, errors: ['Customer limit exceeded', 'Try again later'] }]]);

		const result = await bulk(people(1), {}, 'continueRegularOutput');

		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 200,
			attempts: 1,
			vendorReference: null,
			message: 'Bloomreach refused the request (HTTP 200): Customer limit exceeded; Try again later.',
			failure: { reason: 'rejected' },
		});
	});

	it('dry run validates and shows the exact request bodies without sending anything', async () => {
		const result = await bulk(people(3), { dryRun: true, customersPerRequest: 2 });

		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json.status)).toEqual(['dry_run', 'dry_run', 'dry_run']);
		expect(result.main[0].json.request).toEqual({
			number: 1,
			method: 'POST',
			url: `${BASE}/data/v2/projects/[redacted]/customers/anonymize_bulk`,
			people: 2,
			body: {
				customers: [
					{ customer_ids: { registered: 'person0@example.com' } },
					{ customer_ids: { registered: 'person1@example.com' } },
				],
			},
		});
		expect(result.main[1].json.request).toEqual({
			number: 1,
			method: 'POST',
			url: `${BASE}/data/v2/projects/[redacted]/customers/anonymize_bulk`,
			people: 2,
		});
		expect(result.main[2].json.request).toMatchObject({ number: 2, people: 1 });
		expect(result.main[2].json.attempts).toBe(0);
	});

	it('masks identifiers in receipts and in the dry-run body when asked', async () => {
		const result = await bulk([{ email: 'jane.doe@example.com' }, { email: 'cookie-1234567' }], {
			dryRun: true,
			identifierInOutput: 'masked',
		});

		expect(result.main[0].json.identifiers).toEqual([{ type: 'registered', value: 'j***@example.com' }]);
		expect(result.main[1].json.identifiers).toEqual([{ type: 'registered', value: 'co***67' }]);
		expect(result.main[0].json.request).toMatchObject({
			body: {
				customers: [{ customer_ids: { registered: 'j***@example.com' } }, { customer_ids: { registered: 'co***67' } }],
			},
		});
		expect(JSON.stringify(result.main)).not.toContain('jane.doe');
	});

	it('replaces identifiers by their SHA-256 hash when asked', async () => {
		bulkEndpoint([[200, { success: true, bulk_id: 'bulk-hash' }]]);

		const result = await bulk([{ email: 'jane.doe@example.com' }], { identifierInOutput: 'sha256' });

		const hash = createHash('sha256').update('jane.doe@example.com').digest('hex');
		expect(result.main[0].json.identifiers).toEqual([{ type: 'registered', value: `sha256:${hash}` }]);
		expect(result.main[0].json.identifierForm).toBe('sha256');
		expect(JSON.stringify(result.main)).not.toContain('jane.doe');
	});

	describe('invalid input', () => {
		const input = [{ email: 'ok@example.com' }, { email: '   ' }, { email: { nested: true } }, {}];

		it('with Continue On Fail off, stops before sending anything and names the item and field', async () => {
			const result = await bulk(input);

			expect(result.error).toMatchObject({
				name: 'NodeOperationError',
				message: 'Item 2: ID Value is empty or only whitespace',
			});
			expect(result.error?.description).toContain('Nothing was sent');
			expect(result.main).toEqual([]);
		});

		it('with Continue On Fail on, fails the invalid items and sends the valid ones', async () => {
			const { bodies } = bulkEndpoint([[200, { success: true, bulk_id: 'bulk-valid' }]]);

			const result = await bulk(input, {}, 'continueRegularOutput');

			expect(bodies).toEqual([{ customers: [{ customer_ids: { registered: 'ok@example.com' } }] }]);
			expect(result.main).toHaveLength(4);
			expect(result.main.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
			expect(result.main[0].json.status).toBe('accepted');
			expect(result.main[1].json).toEqual(
				notSentReceipt('Bloomreach Engagement', 'anonymizeBulk', 'ID Value', 'is empty or only whitespace'),
			);
			expect(result.main[2].json.message).toBe('Not sent: ID Value must be text or a number, got an object.');
			expect(result.main[3].json.message).toBe('Not sent: ID Value is empty.');
		});

		it('with the error output, routes invalid items there and valid ones to the main output', async () => {
			bulkEndpoint([[200, { success: true, bulk_id: 'bulk-valid' }]]);

			const result = await bulk(input, {}, 'continueErrorOutput');

			expect(result.main.map((item) => item.json.status)).toEqual(['accepted']);
			expect(result.main[0].pairedItem).toEqual({ item: 0 });
			expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([1, 2, 3].map((item) => ({ item })));
			expect(result.errorOutput.map((item) => (item.json.error as { status: string }).status)).toEqual([
				'failed',
				'failed',
				'failed',
			]);
			expect(result.errorOutput[0].json).toEqual({
				email: '   ',
				message: 'Not sent: ID Value is empty or only whitespace.',
				error: notSentReceipt('Bloomreach Engagement', 'anonymizeBulk', 'ID Value', 'is empty or only whitespace'),
			});
		});

		it('rejects an internal ID that is not 24 hexadecimal characters', async () => {
			const result = await bulk([{ internal_id: 'not-an-id' }], {}, undefined, {
				identifyBy: 'internalId',
				internalId: '={{ $json.internal_id }}',
			});

			expect(result.error?.message).toBe('Item 1: Internal ID "not-an-id" is not 24 hexadecimal characters');
		});
	});

	// With On Error: Continue the first request goes out while later items are still read (how much
	// overlaps depends on the machine: `npm run bench` shows it), so a person repeated at the end may
	// join a request that has already been answered.
	it('with On Error: Continue, answers a person repeated after their request may already have been answered', async () => {
		const scope = nock(BASE);
		scope.post(`${PROJECT}/customers/anonymize_bulk`).reply(200, { success: true, bulk_id: 'bulk-1' });
		scope.post(`${PROJECT}/customers/anonymize_bulk`).reply(200, { success: true, bulk_id: 'bulk-2' });
		const input = [...people(2000), { email: 'person0@example.com' }];

		const result = await bulk(input, {}, 'continueRegularOutput');

		expect(scope.isDone()).toBe(true);
		expect(result.main).toHaveLength(2001);
		expect(result.main.map((item) => item.json.vendorReference)).toEqual([
			...Array(1000).fill('bulk-1'),
			...Array(1000).fill('bulk-2'),
			'bulk-1',
		]);
		expect(result.main[2000]).toEqual({
			json: expect.objectContaining({
				status: 'accepted',
				requestNumber: 1,
				duplicateOfItemIndex: 0,
				identifiers: [{ type: 'registered', value: 'person0@example.com' }],
			}),
			pairedItem: { item: 2000 },
		});
	});

	it('stops at a failed request and lists what was already accepted (Continue On Fail off)', async () => {
		const { bodies } = bulkEndpoint([
			[200, { success: true, bulk_id: 'bulk-first' }],
			[400, { success: false, errors: ['Invalid customer ids'] }],
		]);

		const result = await bulk(people(5), { customersPerRequest: 2 });

		expect(bodies).toHaveLength(2);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message:
				'Bloomreach Engagement did not accept request 2 after 1 attempt(s): Bloomreach refused the request (HTTP 400): Invalid customer ids.',
		});
		expect(result.error?.description).toBe(
			'Accepted before the node stopped: items 1\u20132 (vendor reference bulk-first). Their erasure is under way: do not send them again. Failed: items 3\u20134. Never sent: item 5. Requests already under way when the node stopped were completed and are counted above; none started after.',
		);
	});

	it('refuses a plain-http instance URL unless it is loopback', async () => {
		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: { resource: 'customer', operation: 'anonymizeBulk', customerIdValue: '={{ $json.email }}' },
			credentials: {
				bloomreachEngagementApi: { ...credentials.bloomreachEngagementApi, instanceUrl: 'http://api.example.com' },
			},
			items: people(1),
		});

		expect(result.error?.message).toBe(
			'Credential: Instance URL "http://api.example.com" must start with https:// (plain http is accepted only for localhost)',
		);
	});

	it('accepts plain http for a loopback instance URL', async () => {
		const scope = nock('http://127.0.0.1:4010')
			.post(`${PROJECT}/customers/anonymize_bulk`)
			.reply(200, { success: true, bulk_id: 'local' });

		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: { resource: 'customer', operation: 'anonymizeBulk', customerIdValue: '={{ $json.email }}' },
			credentials: {
				bloomreachEngagementApi: { ...credentials.bloomreachEngagementApi, instanceUrl: 'http://127.0.0.1:4010/' },
			},
			items: people(1),
		});

		expect(scope.isDone()).toBe(true);
		expect(result.main[0].json).toMatchObject({
			status: 'accepted',
			vendorReference: 'local',
			identifierForm: 'masked',
		});
	});
});

describe('Bloomreach Engagement: Anonymize', () => {
	it('sends one request per customer with all of its IDs, resolved per item', async () => {
		const bodies: unknown[] = [];
		const scope = nock(BASE)
			.matchHeader('authorization', basicAuth)
			.post(`${PROJECT}/customers/anonymize`, (body) => {
				bodies.push(body);
				return true;
			})
			.times(2)
			.reply(200, { success: true });

		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				resource: 'customer',
				operation: 'anonymize',
				customerIds: {
					ids: [
						{ idName: 'registered', idValue: '={{ $json.email }}' },
						{ idName: 'cookie', idValue: '={{ $json.cookie }}' },
					],
				},
				options: { identifierInOutput: 'asGiven', maxConcurrentRequests: 1 },
			},
			credentials,
			items: [
				{ email: 'a@example.com', cookie: 'c-1' },
				{ email: 'b@example.com', cookie: 42 },
			],
		});

		expect(scope.isDone()).toBe(true);
		expect(bodies).toEqual([
			{ customer_ids: { registered: 'a@example.com', cookie: 'c-1' } },
			{ customer_ids: { registered: 'b@example.com', cookie: '42' } },
		]);
		expect(result.main.map((item) => item.json)).toEqual([
			acceptedReceipt({
				vendor: 'Bloomreach Engagement',
				operation: 'anonymize',
				identifiers: [
					{ type: 'registered', value: 'a@example.com' },
					{ type: 'cookie', value: 'c-1' },
				],
				message:
					'Bloomreach accepted the request to anonymize the customer with these IDs. Bloomreach answers the same whether or not it holds a customer with these IDs, so this confirms the request only: not that such a customer existed, nor that anonymization has finished (it runs asynchronously).',
			}),
			expect.objectContaining({ status: 'accepted', requestNumber: 2 }),
		]);
		expect(result.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('names the ID that is missing its name', async () => {
		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				resource: 'customer',
				operation: 'anonymize',
				customerIds: {
					ids: [
						{ idName: 'registered', idValue: 'a@example.com' },
						{ idName: ' ', idValue: 'x' },
					],
				},
			},
			credentials,
			items: [{}],
		});

		expect(result.error?.message).toBe('Item 1: Customer ID 2 Name is empty or only whitespace');
	});
});
