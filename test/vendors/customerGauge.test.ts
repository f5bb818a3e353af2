import { createHash } from 'node:crypto';

import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode, type OnError } from '../harness/engine';
import { acceptedReceipt, dryRunReceipt, notSentReceipt, sentReceipt } from '../harness/receipts';

const EU = 'https://api.eu.customergauge.com';
const PATH = '/v4.1/anonymize.json';
const ACCEPTED =
	'CustomerGauge accepted the anonymization of every record of this contact ("Record updated successfully"). Custom fields, and segment fields not agreed with CustomerGauge, are not anonymized.';

const credentialsFor = (region: string, customBaseUrl = '') => ({
	customerGaugeApi: { region, customBaseUrl, apiKey: 'cg-secret-key-1' },
});

function run(
	operation: 'anonymize' | 'preview',
	items: Array<Record<string, unknown>>,
	{
		options = {},
		onError,
		extra = {},
		region = 'eu',
		customBaseUrl,
	}: {
		options?: Record<string, unknown>;
		onError?: OnError;
		extra?: Record<string, unknown>;
		region?: string;
		customBaseUrl?: string;
	} = {},
) {
	return runNode({
		node: new CustomerGauge(),
		parameters: {
			resource: 'contact',
			authentication: 'apiKey',
			operation,
			identifyBy: 'email',
			email: '={{ $json.email }}',
			telephone: '={{ $json.phone }}',
			...extra,
			options: { identifierInOutput: 'asGiven', ...options },
		},
		credentials: credentialsFor(region, customBaseUrl),
		items,
		onError,
	});
}

/** Records every anonymize form body on a host; answers each request with the next reply. */
function anonymizeEndpoint(replies: Array<[number, unknown, Record<string, string>?]>, host = EU) {
	const bodies: unknown[] = [];
	const scope = nock(host).matchHeader('authorization', 'api_key cg-secret-key-1');
	for (const [status, body, headers] of replies) {
		scope
			.post(PATH, (sent) => {
				bodies.push(sent);
				return true;
			})
			.matchHeader('content-type', 'application/x-www-form-urlencoded')
			.reply(status, body as nock.Body, headers);
	}
	return { bodies, scope };
}

const ok = { Data: { message: 'Record updated successfully' } };

describe('CustomerGauge: Anonymize', () => {
	it.each([
		['eu', 'https://api.eu.customergauge.com'],
		['us', 'https://api.us.customergauge.com'],
		['au', 'https://api.au.customergauge.com'],
	])('region %s: POSTs a form with only the email to %s and returns an accepted receipt', async (region, host) => {
		const { bodies, scope } = anonymizeEndpoint([[200, ok]], host);

		const result = await run('anonymize', [{ email: ' Jane.Doe@example.com ' }], { region });

		expect(scope.isDone()).toBe(true);
		expect(bodies).toEqual([{ email: 'Jane.Doe@example.com' }]);
		expect(result.error).toBeUndefined();
		expect(result.main).toEqual([
			{
				json: acceptedReceipt({
					vendor: 'CustomerGauge',
					operation: 'anonymize',
					identifiers: [{ type: 'email', value: 'Jane.Doe@example.com' }],
					message: ACCEPTED,
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends only the normalised telephone when identifying by telephone', async () => {
		const { bodies } = anonymizeEndpoint([[200, ok]]);

		const result = await run('anonymize', [{ email: 'ignored@example.com', phone: '+44 (20) 7946-0958' }], {
			extra: { identifyBy: 'telephone' },
		});

		expect(bodies).toEqual([{ telephone: '+442079460958' }]);
		expect(result.main[0].json).toMatchObject({
			status: 'accepted',
			identifiers: [{ type: 'telephone', value: '+442079460958' }],
		});
	});

	it('uses a custom base URL, e.g. a local simulator on loopback', async () => {
		const { bodies } = anonymizeEndpoint([[200, ok]], 'http://127.0.0.1:4010');

		const result = await run('anonymize', [{ email: 'a@example.com' }], {
			region: 'custom',
			customBaseUrl: 'http://127.0.0.1:4010/',
		});

		expect(bodies).toEqual([{ email: 'a@example.com' }]);
		expect(result.main[0].json.status).toBe('accepted');
	});

	it('refuses a custom base URL that is plain http on a public host, before sending anything', async () => {
		const result = await run('anonymize', [{ email: 'a@example.com' }], {
			region: 'custom',
			customBaseUrl: 'http://cg-proxy.example.com',
		});

		expect(result.error?.message).toMatch(/^Credential: Base URL "http:\/\/cg-proxy\.example\.com"/);
		expect(result.main).toEqual([]);
	});

	describe('invalid input', () => {
		const input = [
			{ email: 'good@example.com', phone: '+31 6 1234 5678' },
			{ email: 'not-an-email', phone: 'call me' },
			{ email: '', phone: '' },
		];

		it('with Continue On Fail off, stops before sending anything and names the item and field', async () => {
			const result = await run('anonymize', input);

			expect(result.error).toMatchObject({
				name: 'NodeOperationError',
				message: 'Item 2: Email "not-an-email" is not a valid email address',
			});
			expect(result.error?.description).toContain('Nothing was sent');
			expect(result.main).toEqual([]);
		});

		it('rejects a telephone that cannot be a phone number, saying what the rule is', async () => {
			const result = await run('anonymize', input, { extra: { identifyBy: 'telephone' } });

			expect(result.error?.message).toBe(
				'Item 2: Telephone "call me" is not a phone number (after removing spaces, dots, hyphens, brackets and slashes, 6 to 15 digits with an optional leading + must remain)',
			);
		});

		it('with Continue On Fail on, fails the invalid items and sends the valid one', async () => {
			const { bodies } = anonymizeEndpoint([[200, ok]]);

			const result = await run('anonymize', input, { onError: 'continueRegularOutput' });

			expect(bodies).toEqual([{ email: 'good@example.com' }]);
			expect(result.main.map((item) => [item.json.status, item.pairedItem])).toEqual([
				['accepted', { item: 0 }],
				['failed', { item: 1 }],
				['failed', { item: 2 }],
			]);
			expect(result.main[1].json).toEqual(
				notSentReceipt('CustomerGauge', 'anonymize', 'Email', '"not-an-email" is not a valid email address'),
			);
			expect(result.main[2].json.message).toBe('Not sent: Email is empty.');
		});

		it('with the error output, routes the invalid items there', async () => {
			anonymizeEndpoint([[200, ok]]);

			const result = await run('anonymize', input, { onError: 'continueErrorOutput' });

			expect(result.main.map((item) => [item.json.status, item.pairedItem])).toEqual([['accepted', { item: 0 }]]);
			expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			expect(result.errorOutput[0].json).toMatchObject({
				email: 'not-an-email',
				message: 'Not sent: Email "not-an-email" is not a valid email address.',
				error: { status: 'failed', failure: { reason: 'invalid_input', field: 'Email' } },
			});
		});
	});

	it.each([200, 400])(
		'treats an Error body as a failure whatever the status (HTTP %i), keeping the numeric Code',
		async (status) => {
			const { bodies } = anonymizeEndpoint([[status, { Error: { Message: 'Email is not valid', Code: 1002 } }]]);

			const result = await run('anonymize', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

			expect(bodies).toHaveLength(1);
			expect(result.main[0].json).toEqual(
				sentReceipt({
					vendor: 'CustomerGauge',
					operation: 'anonymize',
					status: 'failed',
					identifiers: [{ type: 'email', value: 'a@example.com' }],
					httpStatus: status,
					attempts: 1,
					message: `CustomerGauge refused the request (HTTP ${status}): Email is not valid.`,
					failure: {
						reason: 'rejected',
						description: `CustomerGauge refused the request (HTTP ${status}): Email is not valid.`,
						vendorCode: 1002,
					},
				}),
			);
		},
	);

	it('accepts a lower-case "message" in an Error body', async () => {
		anonymizeEndpoint([[400, { Error: { message: 'Please make an API request by email or telephone' } }]]);

		const result = await run('anonymize', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(result.main[0].json.message).toBe(
			'CustomerGauge refused the request (HTTP 400): Please make an API request by email or telephone.',
		);
	});

	it('reports 401 as an API-key problem and does not retry it', async () => {
		const { bodies } = anonymizeEndpoint([[401, { Error: { Message: 'Invalid API key', Code: 401 } }]]);

		const result = await run('anonymize', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(bodies).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 401,
			attempts: 1,
			failure: {
				reason: 'authentication',
				description:
					'Check the CustomerGauge credential: the API key, and that its region is the one your account lives in.',
				vendorCode: 401,
			},
		});
	});

	it.each([
		[
			'an HTML page',
			'<!DOCTYPE html><html><body>Gateway</body></html>',
			'an HTML page ("<!DOCTYPE html><html><body>Gateway</body></html>")',
		],
		['an empty body', '', 'an empty body'],
	])('reports %s on a 200 clearly: failed as unexpected_response, never accepted', async (_kind, body, described) => {
		anonymizeEndpoint([[200, body]]);

		const result = await run('anonymize', [{ email: 'a@example.com' }], { onError: 'continueRegularOutput' });

		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			message: `CustomerGauge answered HTTP 200 with ${described}, so the request cannot be confirmed.`,
			failure: { reason: 'unexpected_response' },
		});
	});

	it('waits for Retry-After on 429 and then succeeds', async () => {
		const { bodies, scope } = anonymizeEndpoint([
			[429, { Error: { Message: 'Too many requests' } }, { 'Retry-After': '1' }],
			[200, ok],
		]);
		const started = Date.now();

		const result = await run('anonymize', [{ email: 'a@example.com' }]);

		expect(scope.isDone()).toBe(true);
		expect(bodies).toEqual([{ email: 'a@example.com' }, { email: 'a@example.com' }]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(result.main[0].json).toMatchObject({ status: 'accepted', attempts: 2, httpStatus: 200 });
	});

	it('retries 5xx until Max Attempts is used up, then stops the node (Continue On Fail off)', async () => {
		const { bodies, scope } = anonymizeEndpoint([
			[500, { Error: { Message: 'Internal error' } }],
			[502, '<html>Bad gateway</html>'],
			[503, ''],
		]);

		const result = await run('anonymize', [{ email: 'a@example.com' }], {
			options: { maxAttempts: 3, maxRetryWait: 20 },
		});

		expect(scope.isDone()).toBe(true);
		expect(bodies).toHaveLength(3);
		expect(result.main).toEqual([]);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message:
				'CustomerGauge did not accept request 1 after 3 attempt(s): CustomerGauge answered HTTP 503 with an empty body.',
		});
		expect(result.error?.description).toContain('Nothing was accepted before the node stopped.');
	});

	it('never has more requests in flight than Max Concurrent Requests (observed at the mock)', async () => {
		let inFlight = 0;
		let mostInFlight = 0;
		const seen: string[] = [];
		nock(EU)
			.post(PATH)
			.times(12)
			.reply(async (_uri, body) => {
				inFlight++;
				mostInFlight = Math.max(mostInFlight, inFlight);
				seen.push(new URLSearchParams(body as string).get('email') ?? '');
				await new Promise((resolve) => setTimeout(resolve, 40));
				inFlight--;
				return [200, ok];
			});
		const input = Array.from({ length: 12 }, (_, index) => ({ email: `p${index}@example.com` }));

		const result = await run('anonymize', input, {
			options: { maxConcurrentRequests: 3, maxRequestsPerSecond: 0, itemsPerBatch: 50 },
		});

		expect(mostInFlight).toBe(3);
		expect(seen.sort()).toEqual(input.map((item) => item.email).sort());
		expect(result.main.map((item) => item.json.status)).toEqual(Array(12).fill('accepted'));
		expect(result.main.map((item) => item.json.identifiers)).toEqual(
			input.map((item) => [{ type: 'email', value: item.email }]),
		);
	});

	it('dry run validates and shows the exact request, sending nothing', async () => {
		const result = await run('anonymize', [{ email: 'jane@example.com' }], { options: { dryRun: true } });

		expect(result.main[0].json).toEqual(
			dryRunReceipt({
				vendor: 'CustomerGauge',
				operation: 'anonymize',
				identifiers: [{ type: 'email', value: 'jane@example.com' }],
				message:
					'Dry run: checked, nothing sent. This item would go in request 1 (1 person), shown below. The request is shown exactly as it would be sent.',
				request: {
					number: 1,
					method: 'POST',
					url: 'https://api.eu.customergauge.com/v4.1/anonymize.json',
					people: 1,
					body: { email: 'jane@example.com' },
				},
			}),
		);
	});

	it('hashes identifiers in the receipt when asked', async () => {
		anonymizeEndpoint([[200, ok]]);

		const result = await run('anonymize', [{ email: 'jane@example.com' }], {
			options: { identifierInOutput: 'sha256' },
		});

		const hash = createHash('sha256').update('jane@example.com').digest('hex');
		expect(result.main[0].json.identifiers).toEqual([{ type: 'email', value: `sha256:${hash}` }]);
		expect(JSON.stringify(result.main)).not.toContain('jane@example.com');
	});
});

describe('CustomerGauge: Preview', () => {
	const records = [
		{ first_name: 'Jane', last_name: 'Doe', email: 'jane@example.com', sms_telephone: '+31612345678' },
		{ first_name: 'Jane', last_name: 'D.', email: 'JANE@example.com', sms_telephone: null },
	];

	it('GETs the read-only preview and returns the count; the records only when asked, every value masked', async () => {
		const scope = nock(EU)
			.get(PATH)
			.query({ email: 'jane@example.com' })
			.matchHeader('authorization', 'api_key cg-secret-key-1')
			.reply(200, { Data: records });

		const result = await run('preview', [{ email: 'jane@example.com' }], {
			options: { identifierInOutput: 'masked', includeRecords: true },
		});

		expect(scope.isDone()).toBe(true);
		expect(result.main).toEqual([
			{
				json: sentReceipt({
					vendor: 'CustomerGauge',
					operation: 'preview',
					status: 'found',
					identifiers: [{ type: 'email', value: 'j***@example.com' }],
					identifierForm: 'masked',
					httpStatus: 200,
					attempts: 1,
					recordCount: 2,
					records: [
						{ first_name: 'Jane', last_name: 'Doe', email: 'j***@example.com', sms_telephone: '+3***78' },
						{ first_name: 'Jane', last_name: 'D.', email: 'J***@example.com', sms_telephone: null },
					].map((record) => ({ ...record, first_name: '***', last_name: '***' })),
					message:
						'CustomerGauge holds 2 records for this contact, which Anonymize would change. This preview changed nothing.',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('previews by telephone and reports zero records', async () => {
		const scope = nock(EU).get(PATH).query({ telephone: '+31612345678' }).reply(200, { Data: [] });

		const result = await run('preview', [{ phone: '06-1234 5678' }], {
			extra: { identifyBy: 'telephone', telephone: '={{ "+31" + $json.phone.slice(1) }}' },
		});

		expect(scope.isDone()).toBe(true);
		expect(result.main[0].json).toMatchObject({ status: 'not_found', recordCount: 0 });
		expect(result.main[0].json).not.toHaveProperty('records');
		expect(result.main[0].json.message).toBe(
			'CustomerGauge holds no records for this contact: Anonymize would have nothing to change. This preview changed nothing.',
		);
	});
});

describe('CustomerGauge: identified per item', () => {
	it('takes Identify By from an expression: one item by email, the next by telephone', async () => {
		const bodies = new Map<string, string>();
		nock(EU)
			.post(PATH, (body: Record<string, string>) => (bodies.set(Object.keys(body)[0], Object.values(body)[0]), true))
			.times(2)
			.reply(200, { Data: { message: 'Record updated successfully' } });

		const result = await run(
			'anonymize',
			[
				{ identifyBy: 'email', value: 'jane@example.com' },
				{ identifyBy: 'telephone', value: '+31612345678' },
			],
			{
				extra: { identifyBy: '={{ $json.identifyBy }}', email: '={{ $json.value }}', telephone: '={{ $json.value }}' },
				options: { identifierInOutput: 'asGiven' },
			},
		);

		expect(Object.fromEntries(bodies)).toEqual({ email: 'jane@example.com', telephone: '+31612345678' });
		expect(result.main.map((item) => [item.json.status, item.json.identifiers])).toEqual([
			['accepted', [{ type: 'email', value: 'jane@example.com' }]],
			['accepted', [{ type: 'telephone', value: '+31612345678' }]],
		]);
	});
});
