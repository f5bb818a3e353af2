/**
 * Verify Erasure, per vendor: what is sent (read-only requests, or nothing for Bloomreach), and
 * what each receipt says (completed / pending / unverifiable / failed, checkedAt, overdue,
 * confirmedAfterDueBy), through
 * the real engine; then erase-and-verify against the simulator.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode } from '../harness/engine';
import { expectedReceipt, sentReceipt } from '../harness/receipts';
import { simulatorForTests } from '../harness/simulator';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CG = 'https://api.eu.customergauge.com';
const BS = 'https://api.getblueshift.com';
const BS_BASIC = `Basic ${Buffer.from('bs-user-key:').toString('base64')}`;

const customerGauge = (items: Array<Record<string, unknown>>, options: Record<string, unknown> = {}) =>
	runNode({
		node: new CustomerGauge(),
		parameters: {
			resource: 'contact',
			authentication: 'apiKey',
			operation: 'verify',
			identifyBy: 'email',
			email: '={{ $json.email }}',
			options: { identifierInOutput: 'asGiven', receivedAt: '={{ $json.receivedAt }}', ...options },
		},
		credentials: { customerGaugeApi: { region: 'eu', apiKey: 'cg-secret-key-1' } },
		items,
		onError: 'continueRegularOutput',
	});

const blueshift = (items: Array<Record<string, unknown>>, options: Record<string, unknown> = {}) =>
	runNode({
		node: new Blueshift(),
		parameters: {
			resource: 'customer',
			operation: 'verify',
			email: '={{ $json.email }}',
			options: { identifierInOutput: 'asGiven', receivedAt: '={{ $json.receivedAt }}', ...options },
		},
		credentials: { blueshiftApi: { region: 'us', userApiKey: 'bs-user-key' } },
		items,
		onError: 'continueRegularOutput',
	});

describe('CustomerGauge: Verify Erasure', () => {
	it('asks the read-only preview: no record left is completed, records left are pending, past the deadline overdue', async () => {
		const scope = nock(CG)
			.matchHeader('authorization', 'api_key cg-secret-key-1')
			.get('/v4.1/anonymize.json')
			.query({ email: 'gone@example.com' })
			.reply(200, { Data: [] })
			.get('/v4.1/anonymize.json')
			.query({ email: 'still@example.com' })
			.reply(200, { Data: [{ email: 'still@example.com' }, { email: 'still@example.com' }] })
			.get('/v4.1/anonymize.json')
			.query({ email: 'late@example.com' })
			.reply(200, { Data: [{ email: 'late@example.com' }] });

		const result = await customerGauge([
			{ email: 'gone@example.com' },
			{ email: 'still@example.com' },
			{ email: 'late@example.com', receivedAt: '2025-01-31' },
		]);

		expect(scope.isDone()).toBe(true);
		expect(result.main[0].json).toEqual(
			sentReceipt({
				status: 'completed',
				message:
					'CustomerGauge holds no record under this email any more: the anonymization is complete. Checked with the read-only preview; nothing was changed.',
				vendor: 'CustomerGauge',
				operation: 'verify',
				identifiers: [{ type: 'email', value: 'gone@example.com' }],
				checkedAt: expect.stringMatching(ISO_TIME),
				overdue: false,
				confirmedAfterDueBy: false,
				httpStatus: 200,
				attempts: 1,
				recordCount: 0,
			}),
		);
		expect(result.main[1].json).toMatchObject({
			status: 'pending',
			recordCount: 2,
			overdue: false,
			confirmedAfterDueBy: false,
			message:
				'CustomerGauge still holds 2 records under this email: the anonymization has not finished, or was never requested. Check again later; if this stays, send Anonymize again (it is safe to repeat). Nothing was changed.',
		});
		expect(result.main[2].json).toMatchObject({
			status: 'pending',
			receivedAt: '2025-01-31',
			dueBy: '2025-02-28',
			overdue: true,
			confirmedAfterDueBy: false,
		});
	});

	it('a completion first checked after dueBy is not overdue, and says it was confirmed after dueBy', async () => {
		nock(CG).get('/v4.1/anonymize.json').query(true).reply(200, { Data: [] });

		const result = await customerGauge([{ email: 'gone@example.com', receivedAt: '2025-01-31' }]);

		expect(result.main[0].json).toMatchObject({
			status: 'completed',
			dueBy: '2025-02-28',
			overdue: false,
			confirmedAfterDueBy: true,
		});
	});

	it('a check that fails is failed, not completed, and overdue past the deadline', async () => {
		nock(CG)
			.get('/v4.1/anonymize.json')
			.query(true)
			.reply(401, { Error: { Message: 'Invalid API key' } });

		const result = await customerGauge([{ email: 'a@example.com', receivedAt: '2025-01-31' }]);

		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 401,
			overdue: true,
			checkedAt: expect.stringMatching(ISO_TIME),
			failure: { reason: 'authentication' },
		});
	});
});

describe('Blueshift: Verify Erasure', () => {
	it('searches by the same identifiers: no profile left is completed, profiles left are pending with how many', async () => {
		const scope = nock(BS)
			.matchHeader('authorization', BS_BASIC)
			.get('/api/v1/customers')
			.query({ email: 'gone@example.com' })
			.reply(200, { users: [] })
			.get('/api/v1/customers')
			.query({ email: 'still@example.com' })
			.reply(200, {
				users: [{ email: 'still@example.com' }, { email: 'still@example.com' }, { email: 'still@example.com' }],
			});

		const result = await blueshift([{ email: 'gone@example.com' }, { email: 'still@example.com' }]);

		expect(scope.isDone()).toBe(true);
		expect(
			result.main.map((item) => [
				item.json.status,
				item.json.profileCount,
				item.json.overdue,
				item.json.confirmedAfterDueBy,
			]),
		).toEqual([
			['completed', 0, false, false],
			['pending', 3, false, false],
		]);
		expect(result.main[1].json.message).toBe(
			'Blueshift still holds 3 profiles matching these identifiers: the erasure has not finished (Blueshift takes up to a few hours), or was never requested, or covered fewer profiles than match. Check again later; if this stays, send Forget or Delete again with Delete All Matching Profiles. Nothing was changed.',
		);
		expect(result.main[0].json).not.toHaveProperty('profiles');
	});

	it('past dueBy: completed is confirmed after dueBy, pending and a failed check (401) are overdue', async () => {
		nock(BS)
			.get('/api/v1/customers')
			.query({ email: 'gone@example.com' })
			.reply(200, { users: [] })
			.get('/api/v1/customers')
			.query({ email: 'still@example.com' })
			.reply(200, { users: [{ email: 'still@example.com' }] })
			.get('/api/v1/customers')
			.query({ email: 'refused@example.com' })
			.reply(401, { message: 'Not authorized' });

		const result = await blueshift(
			['gone', 'still', 'refused'].map((name) => ({ email: `${name}@example.com`, receivedAt: '2025-01-31' })),
			{ maxConcurrentRequests: 1 },
		);

		expect(
			result.main.map(({ json }) => [json.status, json.dueBy, json.overdue, json.confirmedAfterDueBy, json.httpStatus]),
		).toEqual([
			['completed', '2025-02-28', false, true, 200],
			['pending', '2025-02-28', true, false, 200],
			['failed', '2025-02-28', true, false, 401],
		]);
		expect(result.main[2].json).toMatchObject({
			checkedAt: expect.stringMatching(ISO_TIME),
			message:
				'Blueshift refused the request (HTTP 401): Not authorized. Use the User API key (Account Settings > API Keys > User API key), not the Event API key.',
			failure: { reason: 'authentication' },
		});
	});

	it('retries a 503 like every other request, then reports the finding', async () => {
		nock(BS)
			.get('/api/v1/customers')
			.query(true)
			.reply(503, 'busy')
			.get('/api/v1/customers')
			.query(true)
			.reply(200, { users: [] });

		const result = await blueshift([{ email: 'gone@example.com' }], { maxRetryWait: 10 });

		expect(result.main[0].json).toMatchObject({ status: 'completed', attempts: 2, httpStatus: 200 });
	});
});

describe('Bloomreach Engagement: Verify Erasure', () => {
	const run = (items: Array<Record<string, unknown>>) =>
		runNode({
			node: new BloomreachEngagement(),
			parameters: {
				resource: 'customer',
				operation: 'verify',
				customerIds: { ids: [{ idName: 'registered', idValue: '={{ $json.email }}' }] },
				options: { identifierInOutput: 'asGiven', receivedAt: '={{ $json.receivedAt }}' },
			},
			credentials: {
				bloomreachEngagementApi: {
					instanceUrl: 'https://api.exponea.com',
					projectToken: 'project-token-1',
					apiKeyId: 'key-id',
					apiSecret: 'key-secret',
				},
			},
			items,
			onError: 'continueRegularOutput',
		});

	it('sends nothing and says plainly that it cannot be checked, and what to give Bloomreach support', async () => {
		// nock refuses every connection here: a request would fail the item.
		const result = await run([
			{ email: 'jane@example.com', vendorReference: 'bulk-123' },
			{ email: 'tom@example.com', receivedAt: '2025-01-31' },
		]);

		expect(result.main[0].json).toEqual(
			expectedReceipt({
				status: 'unverifiable',
				message:
					'Bloomreach Engagement cannot confirm that this anonymization has finished: it gives no status for it, and cannot tell an anonymized customer from an unknown one. To confirm, ask Bloomreach support, giving the reference bulk-123 of the erasure request. Nothing was sent.',
				vendor: 'Bloomreach Engagement',
				operation: 'verify',
				identifiers: [{ type: 'registered', value: 'jane@example.com' }],
				checkedAt: expect.stringMatching(ISO_TIME),
				overdue: false,
				confirmedAfterDueBy: false,
				httpStatus: null,
				attempts: 0,
				requestedAt: null,
				requestNumber: 1,
				vendorReference: 'bulk-123',
			}),
		);
		expect(result.main[1].json).toMatchObject({
			status: 'unverifiable',
			vendorReference: null,
			dueBy: '2025-02-28',
			overdue: true,
			confirmedAfterDueBy: false,
			message: expect.stringContaining(
				'giving the customer IDs and the date the erasure was requested. Nothing was sent.',
			),
		});
	});
});

describe('erase, then verify, against the simulator', () => {
	const simulator = simulatorForTests({ rateLimits: false, blueshift: { deletionDelayMs: 300 } });

	it('CustomerGauge: pending before the anonymization, completed after', async () => {
		const credentials = {
			customerGaugeApi: {
				region: 'custom',
				customBaseUrl: simulator().url,
				apiKey: simulator().credentials.customerGauge.apiKey,
			},
		};
		const parameters = {
			resource: 'contact',
			authentication: 'apiKey',
			identifyBy: 'email',
			email: '={{ $json.email }}',
		};
		const items = [{ email: 'maria@example.com' }];
		const node = new CustomerGauge();

		const before = await runNode({ node, parameters: { ...parameters, operation: 'verify' }, credentials, items });
		await runNode({ node, parameters: { ...parameters, operation: 'anonymize' }, credentials, items });
		const after = await runNode({ node, parameters: { ...parameters, operation: 'verify' }, credentials, items });

		expect(before.main[0].json).toMatchObject({ status: 'pending', recordCount: 3 });
		expect(after.main[0].json).toMatchObject({ status: 'completed', recordCount: 0, overdue: false });
	});

	it('Blueshift: pending while the forget runs in the background, completed once it has', async () => {
		const credentials = {
			blueshiftApi: {
				region: 'custom',
				customBaseUrl: simulator().url,
				userApiKey: simulator().credentials.blueshift.userApiKey,
			},
		};
		const parameters = { resource: 'customer', email: '={{ $json.email }}' };
		const items = [{ email: 'solo@example.com' }];
		const node = new Blueshift();

		const forget = await runNode({ node, parameters: { ...parameters, operation: 'forget' }, credentials, items });
		const right = await runNode({ node, parameters: { ...parameters, operation: 'verify' }, credentials, items });
		await new Promise((resolve) => setTimeout(resolve, 400));
		const later = await runNode({ node, parameters: { ...parameters, operation: 'verify' }, credentials, items });

		expect(forget.main[0].json.status).toBe('accepted');
		expect(right.main[0].json).toMatchObject({ status: 'pending', profileCount: 1 });
		expect(later.main[0].json).toMatchObject({ status: 'completed', profileCount: 0 });
	});
});

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('Verify Erasure with an extension: overdue counts from the extended dueBy', () => {
	// Received 45 days ago: one month has passed, three months have not.
	const verify = (options: Record<string, unknown>) =>
		customerGauge([{ email: 'still@example.com', receivedAt: daysFromToday(-45) }], options);

	it('pending past the original due date: overdue without the extension, not overdue with it', async () => {
		nock(CG)
			.get('/v4.1/anonymize.json')
			.query({ email: 'still@example.com' })
			.times(2)
			.reply(200, { Data: [{ email: 'still@example.com' }] });

		const without = await verify({});
		const withExtension = await verify({
			extensionReason: 'Several archived systems',
			extensionToldOn: daysFromToday(-40),
		});

		expect(without.main[0].json).toMatchObject({ status: 'pending', overdue: true, extension: null });
		const json = withExtension.main[0].json;
		expect(json).toMatchObject({
			status: 'pending',
			overdue: false,
			confirmedAfterDueBy: false,
			originalDueBy: without.main[0].json.dueBy,
		});
		expect(String(json.dueBy) > daysFromToday(1)).toBe(true);
	});

	it('completed after the original due date but within the extension: not confirmed after dueBy', async () => {
		nock(CG).get('/v4.1/anonymize.json').query(true).times(2).reply(200, { Data: [] });

		const without = await verify({});
		const withExtension = await verify({
			extensionReason: 'Several archived systems',
			extensionToldOn: daysFromToday(-40),
		});

		expect(without.main[0].json).toMatchObject({ status: 'completed', overdue: false, confirmedAfterDueBy: true });
		expect(withExtension.main[0].json).toMatchObject({
			status: 'completed',
			overdue: false,
			confirmedAfterDueBy: false,
		});
	});
});
