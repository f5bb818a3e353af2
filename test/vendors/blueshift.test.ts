import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { runNode, type OnError } from '../harness/engine';
import { acceptedReceipt, dryRunReceipt, notSentReceipt, sentReceipt } from '../harness/receipts';
import { blueshiftByEmail } from '../harness/nodeParameters';

const US = 'https://api.getblueshift.com';
const EU = 'https://api.eu.getblueshift.com';
const KEY = 'bs-user-key-5d1e';
const BASIC = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
const ASYNCHRONOUS =
	'Deletion is asynchronous and can take a few hours: this confirms the request, not its completion.';
const FORGET_ACCEPTED =
	'Blueshift accepted the request to forget the profiles matching these identifiers (at most 50 with one request): their personal data is deleted and they are no longer tracked. Blueshift does this asynchronously and it can take a few hours: this confirms the request, not its completion.';
const DELETE_FIRST_ACCEPTED = `Blueshift accepted the deletion of the first profile matching these identifiers; other matching profiles are kept (Delete All Matching Profiles is off). ${ASYNCHRONOUS}`;
const DELETE_ALL_ACCEPTED = `Blueshift accepted the deletion of the profiles matching these identifiers, at most 50 with one request. ${ASYNCHRONOUS}`;
const AUTH_HINT =
	'Check the Blueshift credential: it needs the User API key (Account Settings > API Keys > User API key), not the Event API key, and the region your account lives in.';
/** Said in the message itself of every refused key: an Event API key is refused like a wrong one. */
const KEY_NEEDED = 'Use the User API key (Account Settings > API Keys > User API key), not the Event API key.';

type Operation = 'forget' | 'delete' | 'search';

function run(
	operation: Operation,
	items: Array<Record<string, unknown>>,
	{
		options = {},
		onError,
		extra = {},
		region = 'us',
		customBaseUrl = '',
	}: {
		options?: Record<string, unknown>;
		onError?: OnError;
		extra?: Record<string, unknown>;
		region?: string;
		customBaseUrl?: string;
	} = {},
) {
	return runNode({
		node: new Blueshift(),
		parameters: {
			...blueshiftByEmail(operation),
			...extra,
			options: { identifierInOutput: 'asGiven', ...options },
		},
		credentials: { blueshiftApi: { region, customBaseUrl, userApiKey: KEY } },
		items,
		onError,
	});
}

/** Records every body POSTed to one endpoint; answers each request with the next reply. */
function endpoint(path: 'delete' | 'forget', replies: Array<[number, nock.Body, Record<string, string>?]>, host = US) {
	const bodies: unknown[] = [];
	const scope = nock(host).matchHeader('authorization', BASIC);
	for (const [status, body, headers] of replies) {
		scope
			.post(`/api/v1/customers/${path}`, (sent) => (bodies.push(sent), true))
			.matchHeader('content-type', /application\/json/)
			.reply(status, body, headers);
	}
	return { bodies, scope };
}

const profiles = (count: number, email: string) =>
	Array.from({ length: count }, (_, index) => ({ uuid: `uuid-${index}`, email, firstname: `Name ${index}` }));

/** The search endpoint, answering the given query with `users`. */
function searchEndpoint(query: Record<string, string>, users: unknown[], host = US) {
	return nock(host).matchHeader('authorization', BASIC).get('/api/v1/customers').query(query).reply(200, { users });
}

const ok = { status: 'ok' };

describe('Blueshift: Forget', () => {
	it.each([
		['us', US],
		['eu', EU],
	])(
		'region %s: POSTs the email as JSON with the User API key as Basic user and returns an accepted receipt',
		async (region, host) => {
			const { bodies, scope } = endpoint('forget', [[200, ok]], host);

			const result = await run('forget', [{ email: ' Jane.Doe@example.com ' }], { region });

			expect(scope.isDone()).toBe(true);
			expect(bodies).toEqual([{ email: 'Jane.Doe@example.com' }]);
			expect(result.error).toBeUndefined();
			expect(result.main).toEqual([
				{
					json: acceptedReceipt({
						vendor: 'Blueshift',
						operation: 'forget',
						identifiers: [{ type: 'email', value: 'Jane.Doe@example.com' }],
						message: FORGET_ACCEPTED,
					}),
					pairedItem: { item: 0 },
				},
			]);
		},
	);

	it.each([
		['customer ID', { customerId: 'C-1001' }, { customer_id: 'C-1001' }],
		['cookie', { cookie: 'ck-77a1' }, { cookie: 'ck-77a1' }],
		['device ID', { deviceId: 'dev-0042' }, { device_id: 'dev-0042' }],
	])(
		'identifies a customer by %s alone, leaving the empty email out of the body',
		async (_label, otherIdentifiers, sent) => {
			const { bodies } = endpoint('forget', [[200, ok]]);

			const result = await run('forget', [{ email: '' }], { extra: { otherIdentifiers } });

			expect(bodies).toEqual([sent]);
			expect(result.main[0].json).toMatchObject({
				status: 'accepted',
				identifiers: Object.entries(sent).map(([type, value]) => ({ type, value })),
			});
		},
	);

	it('sends every identifier given, from expressions, in one request', async () => {
		const { bodies } = endpoint('forget', [[200, ok]]);

		const result = await run('forget', [{ email: 'jane@example.com', id: 1001, cookie: 'ck-1', device: 'dev-1' }], {
			extra: {
				otherIdentifiers: {
					customerId: '={{ $json.id }}',
					cookie: '={{ $json.cookie }}',
					deviceId: '={{ $json.device }}',
				},
			},
		});

		expect(bodies).toEqual([{ email: 'jane@example.com', customer_id: '1001', cookie: 'ck-1', device_id: 'dev-1' }]);
		expect(result.main[0].json.identifiers).toEqual([
			{ type: 'email', value: 'jane@example.com' },
			{ type: 'customer_id', value: '1001' },
			{ type: 'cookie', value: 'ck-1' },
			{ type: 'device_id', value: 'dev-1' },
		]);
	});

	it.each([404, 409])('retries HTTP %i, which Blueshift documents for forget as "retry later"', async (status) => {
		const { bodies, scope } = endpoint('forget', [
			[status, { message: 'Conflict, retry later' }],
			[200, ok],
		]);

		const result = await run('forget', [{ email: 'a@example.com' }], { options: { maxRetryWait: 20 } });

		expect(scope.isDone()).toBe(true);
		expect(bodies).toEqual([{ email: 'a@example.com' }, { email: 'a@example.com' }]);
		expect(result.main[0].json).toMatchObject({ status: 'accepted', attempts: 2, httpStatus: 200 });
	});

	it('reports a forget 409 that outlasts Max Attempts as temporary, with what to do', async () => {
		const { bodies } = endpoint('forget', [
			[409, { message: 'Conflict' }],
			[409, { message: 'Conflict' }],
		]);

		const result = await run('forget', [{ email: 'a@example.com' }], {
			options: { maxAttempts: 2, maxRetryWait: 20 },
			onError: 'continueRegularOutput',
		});

		expect(bodies).toHaveLength(2);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 409,
			attempts: 2,
			message: 'Blueshift asked to retry later (HTTP 409): Conflict. Gave up after 2 attempts.',
			failure: {
				reason: 'vendor_unavailable',
				description:
					'Blueshift documents HTTP 409 for this operation as temporary: run the node again for this person later.',
			},
		});
	});

	it('explains a 413 (more than 50 matching profiles) and does not retry it', async () => {
		const { bodies } = endpoint('forget', [[413, { message: 'More than 50 users match this request' }]]);

		const result = await run('forget', [{ email: 'crowd@example.com' }], { onError: 'continueRegularOutput' });

		expect(bodies).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 413,
			message: 'Blueshift refused the request (HTTP 413): More than 50 users match this request.',
			failure: {
				reason: 'rejected',
				description:
					'More than 50 profiles match these identifiers, and Blueshift forgets at most 50 with one request. Identify the person more precisely, or use Delete with Delete All Matching Profiles and run it again until Search finds no profile.',
			},
		});
	});

	it('waits for Retry-After on 429 and then succeeds', async () => {
		const { bodies, scope } = endpoint('forget', [
			[429, { message: 'Rate limit exceeded' }, { 'Retry-After': '1' }],
			[200, ok],
		]);
		const started = Date.now();

		const result = await run('forget', [{ email: 'a@example.com' }]);

		expect(scope.isDone()).toBe(true);
		expect(bodies).toHaveLength(2);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(result.main[0].json).toMatchObject({ status: 'accepted', attempts: 2, httpStatus: 200 });
	});

	it('reports 401 as a User-API-key problem, naming the Event API key, and does not retry it', async () => {
		const { bodies } = endpoint('forget', [[401, { message: 'Not authorized' }]]);

		const result = await run('forget', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(bodies).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 401,
			attempts: 1,
			message: `Blueshift refused the request (HTTP 401): Not authorized. ${KEY_NEEDED}`,
			failure: { reason: 'authentication', description: AUTH_HINT },
		});
		expect(JSON.stringify(result)).not.toContain(KEY);
	});

	it('stops on a refused key (On Error: Stop) with an error that says which key is needed', async () => {
		endpoint('forget', [[401, { message: 'Not authorized' }]]);

		const result = await run('forget', [{ email: 'a@example.com' }]);

		expect(result.error?.message).toBe(
			`Blueshift did not accept request 1 after 1 attempt(s): Blueshift refused the request (HTTP 401): Not authorized. ${KEY_NEEDED}`,
		);
		expect(result.error?.description).toBe(
			`${AUTH_HINT} Nothing was accepted before the node stopped. Failed: item 1. Every planned request was sent and is counted above.`,
		);
	});

	it('surfaces the field messages of a 400 errors object', async () => {
		endpoint('forget', [[400, { errors: { email: ['is invalid'], customer_id: ["can't be blank"] } }]]);

		const result = await run('forget', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			message: "Blueshift refused the request (HTTP 400): email: is invalid; customer_id: can't be blank.",
			failure: { reason: 'rejected' },
		});
	});

	it.each([
		['{"status":"ok"}', ok],
		['an empty body', ''],
		['any other JSON', { queued: true }],
	])('accepts a 200 with %s: Blueshift is judged by the HTTP status', async (_label, body) => {
		endpoint('forget', [[200, body]]);

		const result = await run('forget', [{ email: 'a@example.com' }]);

		expect(result.main[0].json).toMatchObject({ status: 'accepted', message: FORGET_ACCEPTED });
	});

	it.each([
		[
			'an HTML page',
			'<!DOCTYPE html><html><body>Login</body></html>',
			'unexpected_response',
			'Blueshift answered HTTP 200 with an HTML page ("<!DOCTYPE html><html><body>Login</body></html>"), so the request cannot be confirmed.',
		],
		[
			'JSON that reports errors',
			{ errors: { email: ['is invalid'] } },
			'rejected',
			'Blueshift refused the request (HTTP 200): email: is invalid.',
		],
	])('does not accept a 200 with %s', async (_label, body, reason, message) => {
		endpoint('forget', [[200, body]]);

		const result = await run('forget', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(result.main[0].json).toMatchObject({ status: 'failed', message, failure: { reason } });
	});

	it('sends the same person once, pointing the repeat at the first item', async () => {
		const { bodies } = endpoint('forget', [[200, ok]]);

		const result = await run('forget', [{ email: 'jane@example.com' }, { email: 'JANE@example.com' }]);

		expect(bodies).toEqual([{ email: 'jane@example.com' }]);
		expect(result.main.map((item) => [item.json.status, item.json.duplicateOfItemIndex, item.pairedItem])).toEqual([
			['accepted', undefined, { item: 0 }],
			['accepted', 0, { item: 1 }],
		]);
	});
});

describe('Blueshift: invalid input', () => {
	const input = [{ email: 'good@example.com' }, { email: '' }, { email: 'not-an-email' }, { email: { nested: true } }];

	it('with Continue On Fail off, stops before sending anything and names the item and problem', async () => {
		const result = await run('forget', input);

		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Item 2: Identifiers are all empty: give at least one of Email, Customer ID, Cookie or Device ID',
		});
		expect(result.error?.description).toContain('Nothing was sent');
		expect(result.main).toEqual([]);
	});

	it('with Continue On Fail on, fails each invalid item with its field and sends the valid one', async () => {
		const { bodies } = endpoint('forget', [[200, ok]]);

		const result = await run('forget', input, { onError: 'continueRegularOutput' });

		expect(bodies).toEqual([{ email: 'good@example.com' }]);
		expect(result.main.map((item) => [item.json.status, item.pairedItem])).toEqual([
			['accepted', { item: 0 }],
			['failed', { item: 1 }],
			['failed', { item: 2 }],
			['failed', { item: 3 }],
		]);
		expect(result.main[1].json).toEqual(
			notSentReceipt(
				'Blueshift',
				'forget',
				'Identifiers',
				'are all empty: give at least one of Email, Customer ID, Cookie or Device ID',
			),
		);
		expect(result.main[2].json.failure).toEqual({
			reason: 'invalid_input',
			field: 'Email',
			description: '"not-an-email" is not a valid email address',
		});
		expect(result.main[3].json.failure).toEqual({
			reason: 'invalid_input',
			field: 'Email',
			description: 'must be text or a number, got an object',
		});
	});

	it('with the error output, routes the invalid items there and the accepted one to the success output', async () => {
		endpoint('forget', [[200, ok]]);

		const result = await run('forget', input, { onError: 'continueErrorOutput' });

		expect(result.main.map((item) => [item.json.status, item.pairedItem])).toEqual([['accepted', { item: 0 }]]);
		expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.errorOutput[1].json).toMatchObject({
			email: 'not-an-email',
			message: 'Not sent: Email "not-an-email" is not a valid email address.',
			error: { status: 'failed', failure: { reason: 'invalid_input', field: 'Email' } },
		});
	});

	it('names the other identifier that is not text', async () => {
		const result = await run('forget', [{ email: '', ids: ['a', 'b'] }], {
			extra: { otherIdentifiers: { customerId: '={{ $json.ids }}' } },
		});

		expect(result.error?.message).toBe('Item 1: Customer ID must be text or a number, got a list');
	});
});

describe('Blueshift: Delete', () => {
	it.each([
		[false, DELETE_FIRST_ACCEPTED],
		[true, DELETE_ALL_ACCEPTED],
	])(
		'Delete All Matching Profiles %s: sends delete_all_matching_customers and says what it covers',
		async (deleteAllMatching, message) => {
			const { bodies, scope } = endpoint('delete', [[200, ok]]);

			const result = await run('delete', [{ email: 'jane@example.com' }], { extra: { deleteAllMatching } });

			expect(scope.isDone()).toBe(true);
			expect(bodies).toEqual([{ email: 'jane@example.com', delete_all_matching_customers: deleteAllMatching }]);
			expect(result.main[0].json).toEqual(
				acceptedReceipt({
					vendor: 'Blueshift',
					operation: 'delete',
					identifiers: [{ type: 'email', value: 'jane@example.com' }],
					message,
				}),
			);
		},
	);

	it('does not retry a 404 on delete (only forget documents it as temporary)', async () => {
		const { bodies } = endpoint('delete', [[404, { message: 'Customer not found' }]]);

		const result = await run('delete', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(bodies).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			attempts: 1,
			message: 'Blueshift refused the request (HTTP 404): Customer not found.',
			failure: { reason: 'rejected' },
		});
	});
});

describe('Blueshift: Count Matches First', () => {
	it('0 matches: searches, sends no delete, and answers "skipped"', async () => {
		const search = searchEndpoint({ email: 'nobody@example.com' }, []);
		const { bodies } = endpoint('delete', []);

		const result = await run('delete', [{ email: 'nobody@example.com' }], {
			extra: { deleteAllMatching: true },
			options: { countMatchesFirst: true },
		});

		expect(search.isDone()).toBe(true);
		expect(bodies).toEqual([]);
		expect(result.main[0].json).toEqual(
			sentReceipt({
				vendor: 'Blueshift',
				operation: 'delete',
				status: 'skipped',
				identifiers: [{ type: 'email', value: 'nobody@example.com' }],
				httpStatus: 200,
				attempts: 1,
				matchedProfiles: 0,
				profilesNotCovered: 0,
				message:
					'No Blueshift profile matched these identifiers when searched, so no delete request was sent: there was nothing to erase.',
			}),
		);
	});

	it('treats a JSON 404 from the search as no match', async () => {
		nock(US)
			.get('/api/v1/customers')
			.query({ email: 'nobody@example.com' })
			.reply(404, { message: 'Customer not found' });

		const result = await run('forget', [{ email: 'nobody@example.com' }], { options: { countMatchesFirst: true } });

		expect(result.main[0].json).toMatchObject({ status: 'skipped', matchedProfiles: 0 });
	});

	it('3 matches with Delete All Matching Profiles: all covered by the one request', async () => {
		const search = searchEndpoint({ email: 'trio@example.com' }, profiles(3, 'trio@example.com'));
		const { bodies } = endpoint('delete', [[200, ok]]);

		const result = await run('delete', [{ email: 'trio@example.com' }], {
			extra: { deleteAllMatching: true },
			options: { countMatchesFirst: true },
		});

		expect(search.isDone()).toBe(true);
		expect(bodies).toEqual([{ email: 'trio@example.com', delete_all_matching_customers: true }]);
		expect(result.main[0].json).toMatchObject({
			status: 'accepted',
			httpStatus: 200,
			attempts: 1,
			matchedProfiles: 3,
			profilesNotCovered: 0,
			message: `${DELETE_ALL_ACCEPTED} Searched first: 3 matching profiles; this request covers all of them.`,
		});
	});

	it('3 matches without Delete All Matching Profiles: says 2 are not covered and how to cover them', async () => {
		searchEndpoint({ email: 'trio@example.com' }, profiles(3, 'trio@example.com'));
		endpoint('delete', [[200, ok]]);

		const result = await run('delete', [{ email: 'trio@example.com' }], { options: { countMatchesFirst: true } });

		expect(result.main[0].json).toMatchObject({
			status: 'accepted',
			matchedProfiles: 3,
			profilesNotCovered: 2,
			message: `${DELETE_FIRST_ACCEPTED} Searched first: 3 matching profiles; this request covers at most 1, so 2 are not covered by it: turn on Delete All Matching Profiles to delete up to 50 with one request.`,
		});
	});

	it('120 matches: never claims more than the 50 one request covers', async () => {
		searchEndpoint({ email: 'crowd@example.com' }, profiles(120, 'crowd@example.com'));
		const { bodies } = endpoint('delete', [[200, ok]]);

		const result = await run('delete', [{ email: 'crowd@example.com' }], {
			extra: { deleteAllMatching: true },
			options: { countMatchesFirst: true },
		});

		expect(bodies).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({
			status: 'accepted',
			matchedProfiles: 120,
			profilesNotCovered: 70,
			message: `${DELETE_ALL_ACCEPTED} Searched first: 120 matching profiles; this request covers at most 50, so 70 are not covered by it: run the node again for this person once Blueshift has finished deleting (it can take a few hours).`,
		});
	});

	it('searches by every identifier given, and counts for forget too', async () => {
		const search = searchEndpoint({ email: 'jane@example.com', customer_id: 'C-7' }, profiles(1, 'jane@example.com'));
		const { bodies } = endpoint('forget', [[200, ok]]);

		const result = await run('forget', [{ email: 'jane@example.com' }], {
			extra: { otherIdentifiers: { customerId: 'C-7' } },
			options: { countMatchesFirst: true },
		});

		expect(search.isDone()).toBe(true);
		expect(bodies).toEqual([{ email: 'jane@example.com', customer_id: 'C-7' }]);
		expect(result.main[0].json).toMatchObject({
			status: 'accepted',
			matchedProfiles: 1,
			profilesNotCovered: 0,
			message: `${FORGET_ACCEPTED} Searched first: 1 matching profile; this request covers it.`,
		});
	});

	it('a failing search sends no erasure and says so', async () => {
		nock(US).get('/api/v1/customers').query(true).reply(401, { message: 'Not authorized' });
		const { bodies } = endpoint('forget', []);

		const result = await run('forget', [{ email: 'jane@example.com' }], {
			options: { countMatchesFirst: true },
			onError: 'continueRegularOutput',
		});

		expect(bodies).toEqual([]);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 401,
			attempts: 1,
			message: `Nothing was erased: the search for matching profiles (Count Matches First) failed, so the erasure request was not sent. Blueshift refused the request (HTTP 401): Not authorized. ${KEY_NEEDED}`,
			failure: { reason: 'authentication', description: AUTH_HINT },
		});
	});

	it('stops the node on a failed erasure after a search, listing what was accepted before (Continue On Fail off)', async () => {
		searchEndpoint({ email: 'first@example.com' }, profiles(1, 'first@example.com'));
		searchEndpoint({ email: 'second@example.com' }, profiles(2, 'second@example.com'));
		endpoint('forget', [
			[200, ok],
			[400, { errors: { email: ['is invalid'] } }],
		]);

		const result = await run('forget', [{ email: 'first@example.com' }, { email: 'second@example.com' }], {
			options: { countMatchesFirst: true, maxConcurrentRequests: 1 },
		});

		expect(result.main).toEqual([]);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message:
				'Blueshift did not accept request 2 after 1 attempt(s): Blueshift refused the request (HTTP 400): email: is invalid. Searched first: 2 matching profiles; this request covers all of them.',
		});
		expect(result.error?.description).toBe(
			'Accepted before the node stopped: item 1. Their erasure is under way: do not send them again. Failed: item 2. Every planned request was sent and is counted above.',
		);
	});
});

describe('Blueshift: Search', () => {
	it('GETs the read-only search and returns the count; the profiles only when asked, every value masked', async () => {
		const users = [
			{ uuid: 'u-1', email: 'jane@example.com', firstname: 'Jane' },
			{ uuid: 'u-2', email: 'JANE@example.com', firstname: 'J.' },
		];
		const scope = searchEndpoint({ email: 'jane@example.com' }, users);

		const result = await run('search', [{ email: 'jane@example.com' }], {
			options: { identifierInOutput: 'masked', includeRecords: true },
		});

		expect(scope.isDone()).toBe(true);
		expect(result.main).toEqual([
			{
				json: sentReceipt({
					vendor: 'Blueshift',
					operation: 'search',
					status: 'found',
					identifiers: [{ type: 'email', value: 'j***@example.com' }],
					identifierForm: 'masked',
					httpStatus: 200,
					attempts: 1,
					profileCount: 2,
					profiles: [
						{ uuid: '***', email: 'j***@example.com', firstname: '***' },
						{ uuid: '***', email: 'J***@example.com', firstname: '***' },
					],
					message: 'Blueshift holds 2 profiles matching these identifiers. This search changed nothing.',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each([
		['an empty users list', 200, { users: [] }],
		['a JSON 404', 404, { message: 'Customer not found' }],
	])('reports zero profiles for %s', async (_label, status, body) => {
		nock(US).get('/api/v1/customers').query({ cookie: 'ck-0' }).reply(status, body);

		const result = await run('search', [{}], { extra: { email: '', otherIdentifiers: { cookie: 'ck-0' } } });

		expect(result.main[0].json).toMatchObject({
			status: 'not_found',
			httpStatus: status,
			profileCount: 0,
			message: 'Blueshift holds no profile matching these identifiers. This search changed nothing.',
		});
		expect(result.main[0].json).not.toHaveProperty('profiles');
	});

	it('does not count a 200 without a list of profiles', async () => {
		nock(US).get('/api/v1/customers').query(true).reply(200, { status: 'ok' });

		const result = await run('search', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			message: 'Blueshift answered the search with HTTP 200 and no list of profiles, so the matches cannot be counted.',
			failure: { reason: 'unexpected_response' },
		});
	});

	it('a 404 HTML page (a wrong base URL) is a failure, not "no match"', async () => {
		nock('http://127.0.0.1:4999')
			.get('/api/v1/customers')
			.query(true)
			.reply(404, '<html><body>Not Found</body></html>');

		const result = await run('search', [{ email: 'a@example.com' }], {
			region: 'custom',
			customBaseUrl: 'http://127.0.0.1:4999/',
			onError: 'continueRegularOutput',
		});

		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 404,
			message: 'Blueshift refused the request (HTTP 404): an HTML page ("<html><body>Not Found</body></html>").',
		});
	});
});

describe('Blueshift: pacing', () => {
	/** Answers every request to the host after a short delay, recording when each one arrived. */
	function timedHost(count: number) {
		const arrivals: number[] = [];
		const reply = async () => {
			arrivals.push(Date.now());
			await new Promise((resolve) => setTimeout(resolve, 30));
			return [200, { users: profiles(1, 'x@example.com'), status: 'ok' }] as [number, nock.Body];
		};
		nock(US).post('/api/v1/customers/forget').times(count).reply(reply);
		nock(US).get('/api/v1/customers').query(true).times(count).reply(reply);
		return arrivals;
	}

	// The time from the node starting a request to the mock seeing it varies on a busy machine (tests
	// run in parallel on two cores): a late one can make the next gap look shorter than it was.
	const TRANSIT_JITTER_MS = 100;

	/** The shortest time in which `cap + 1` requests arrived: at least a second when the cap was kept. */
	function shortestSpanOf(arrivals: number[], cap: number) {
		const sorted = [...arrivals].sort((a, b) => a - b);
		return Math.min(...sorted.slice(cap).map((at, index) => at - sorted[index]));
	}

	it('paces 5 requests a second by default, searches included: any 6 arrivals at the mock span at least 900 ms (100 ms for transit on a busy machine)', async () => {
		const arrivals = timedHost(6);
		const input = Array.from({ length: 6 }, (_, index) => ({ email: `p${index}@example.com` }));

		const result = await run('forget', input, { options: { countMatchesFirst: true } });

		expect(arrivals).toHaveLength(12);
		expect(shortestSpanOf(arrivals, 5)).toBeGreaterThanOrEqual(1000 - TRANSIT_JITTER_MS);
		expect(result.main.map((item) => [item.json.status, item.json.matchedProfiles])).toEqual(
			Array(6).fill(['accepted', 1]),
		);
	});

	it('keeps a lower Max Requests per Second: any 3 arrivals at 2 a second span at least 900 ms', async () => {
		const arrivals = timedHost(5);
		const input = Array.from({ length: 5 }, (_, index) => ({ email: `p${index}@example.com` }));

		const result = await run('forget', input, { options: { maxRequestsPerSecond: 2 } });

		expect(arrivals).toHaveLength(5);
		expect(shortestSpanOf(arrivals, 2)).toBeGreaterThanOrEqual(1000 - TRANSIT_JITTER_MS);
		expect(result.main.map((item) => item.json.status)).toEqual(Array(5).fill('accepted'));
	});
});

describe('Blueshift: dry run', () => {
	it('shows the exact request, and the search Count Matches First would send before it; sends nothing', async () => {
		const result = await run('delete', [{ email: 'jane@example.com' }], {
			extra: { deleteAllMatching: true },
			options: { dryRun: true, countMatchesFirst: true, identifierInOutput: 'masked' },
		});

		expect(result.main[0].json).toEqual(
			dryRunReceipt({
				vendor: 'Blueshift',
				operation: 'delete',
				identifiers: [{ type: 'email', value: 'j***@example.com' }],
				identifierForm: 'masked',
				message:
					'Dry run: checked, nothing sent. This item would go in request 1 (1 person), shown below, after the read-only look-up shown as lookUpFirst. The request is shown exactly as it would be sent, except that the identifiers in it are masked (Identifier in Output); the real request carries them in full.',
				request: {
					number: 1,
					method: 'POST',
					url: 'https://api.getblueshift.com/api/v1/customers/delete',
					people: 1,
					body: { email: 'j***@example.com', delete_all_matching_customers: true },
					lookUpFirst: {
						method: 'GET',
						url: 'https://api.getblueshift.com/api/v1/customers',
						qs: { email: 'j***@example.com' },
					},
				},
			}),
		);
	});

	it('names an unknown region in the credential, before sending anything', async () => {
		const result = await run('forget', [{ email: 'a@example.com' }], { region: 'ap' });

		expect(result.error?.message).toBe('Credential: Region "ap" is not one of us, eu or custom');
		expect(result.main).toEqual([]);
	});

	it('refuses a plain-http custom base URL on a public host, before sending anything', async () => {
		const result = await run('forget', [{ email: 'a@example.com' }], {
			region: 'custom',
			customBaseUrl: 'http://blueshift-proxy.example.com',
		});

		expect(result.error?.message).toMatch(/^Credential: Base URL "http:\/\/blueshift-proxy\.example\.com"/);
		expect(result.main).toEqual([]);
	});
});
