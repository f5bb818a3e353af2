/**
 * Faults that make a receipt lie, against real loopback servers and the real engine: an answer
 * that never comes, a stop with requests in flight, a vendor echoing the credentials, input that
 * names another person, a base URL that moves the request, a server that drips, a certificate that
 * cannot be trusted, a 404 that is not Blueshift's, a cancelled execution, and pacing as the
 * vendor counts it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode, type OnError, type RunResult } from '../harness/engine';
import { bloomreachBulkByEmail, blueshiftByEmail, customerGaugeAnonymizeByEmail } from '../harness/nodeParameters';

interface Arrival {
	method: string;
	url: string;
	body: string;
	authorization: string;
	at: number;
	/** Date.now() when the request arrived, to compare with a receipt's times. */
	wallAt: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse, arrival: Arrival) => void;

/** A loopback HTTP server whose answer the test sets; it records every request as it arrives. */
class LoopbackVendor {
	readonly arrivals: Arrival[] = [];

	handler: Handler = (_request, response) => json(response, 200, {});

	private server: Server;

	url = '';

	constructor() {
		this.server = createServer((request, response) => {
			const arrival: Arrival = {
				method: request.method ?? '',
				url: request.url ?? '',
				body: '',
				authorization: String(request.headers.authorization ?? ''),
				at: performance.now(),
				wallAt: Date.now(),
			};
			this.arrivals.push(arrival);
			request.on('data', (chunk) => (arrival.body += chunk));
			request.on('end', () => this.handler(request, response, arrival));
		});
	}

	async start() {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	reset(handler: Handler) {
		this.arrivals.length = 0;
		this.handler = handler;
	}

	async stop() {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

function json(response: ServerResponse, status: number, body: unknown) {
	if (response.destroyed) return;
	response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const vendor = new LoopbackVendor();
beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	await vendor.start();
});
afterAll(() => vendor.stop());

const BLOOMREACH_KEY = {
	apiKeyId: 'hardening-key-id-5a1f',
	apiSecret: 'hardening-secret-c3d9',
	projectToken: 'hardening-project-7e21',
};
const BLUESHIFT_KEY = 'hardening-bs-user-key-6b0d';
const basicOf = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

const bloomreachBulk = (
	options: Record<string, unknown>,
	people: number,
	onError?: OnError,
	instanceUrl = vendor.url,
) =>
	runNode({
		node: new BloomreachEngagement(),
		parameters: { ...bloomreachBulkByEmail, options: { identifierInOutput: 'asGiven', ...options } },
		credentials: { bloomreachEngagementApi: { instanceUrl, ...BLOOMREACH_KEY } },
		items: Array.from({ length: people }, (_, index) => ({ email: `person${index + 1}@example.com` })),
		onError,
	});

const customerGauge = (
	options: Record<string, unknown>,
	items: Array<Record<string, unknown>>,
	onError?: OnError,
	baseUrl = vendor.url,
) =>
	runNode({
		node: new CustomerGauge(),
		parameters: { ...customerGaugeAnonymizeByEmail, options: { identifierInOutput: 'asGiven', ...options } },
		credentials: { customerGaugeApi: { region: 'custom', customBaseUrl: baseUrl, apiKey: 'hardening-cg-key-19ab' } },
		items,
		onError,
	});

const customerGaugeOAuth2Account = (clientId = 'hardening-cg-client') => ({
	customerGaugeOAuth2Api: {
		region: 'custom',
		customBaseUrl: vendor.url,
		customTokenUrl: `${vendor.url}/oauth2/token`,
		clientId,
		clientSecret: 'hardening-cg-client-secret',
	},
});

const customerGaugeOAuth2 = (
	options: Record<string, unknown>,
	items: Array<Record<string, unknown>>,
	onError?: OnError,
	credentials = customerGaugeOAuth2Account(),
) =>
	runNode({
		node: new CustomerGauge(),
		parameters: {
			...customerGaugeAnonymizeByEmail,
			authentication: 'oAuth2',
			options: { identifierInOutput: 'asGiven', ...options },
		},
		credentials,
		items,
		onError,
	});

const blueshift = (
	operation: 'forget' | 'search',
	options: Record<string, unknown>,
	items: Array<Record<string, unknown>>,
	onError?: OnError,
	baseUrl = vendor.url,
	extra: Record<string, unknown> = {},
) =>
	runNode({
		node: new Blueshift(),
		parameters: { ...blueshiftByEmail(operation), ...extra, options: { identifierInOutput: 'asGiven', ...options } },
		credentials: { blueshiftApi: { region: 'custom', customBaseUrl: baseUrl, userApiKey: BLUESHIFT_KEY } },
		items,
		onError,
	});

const receipts = (result: RunResult) => result.main.map((item) => item.json);

describe('a request that got no answer', () => {
	let jobs = 0;
	const slowThenFast = (slowAnswers: number): Handler => {
		let answered = 0;
		return (_request, response) => {
			const bulkId = `bulk-${++jobs}`;
			// Slow answers miss the 1000 ms Request Timeout by two seconds; prompt ones beat it by a second, however busy the machine.
			const delay = answered++ < slowAnswers ? 3000 : 0;
			setTimeout(() => json(response, 200, { success: true, bulk_id: bulkId }), delay).unref();
		};
	};

	it('is sent again (anonymize is idempotent in effect) and the receipt says an earlier attempt may also have been processed', async () => {
		jobs = 0;
		vendor.reset(slowThenFast(1));

		const result = await bloomreachBulk(
			{ requestTimeout: 1000, maxAttempts: 3, maxRetryWait: 20 },
			2,
			'continueRegularOutput',
		);

		expect(vendor.arrivals).toHaveLength(2);
		expect(vendor.arrivals[1].body).toBe(vendor.arrivals[0].body);
		for (const receipt of receipts(result)) {
			expect(receipt).toMatchObject({
				status: 'accepted',
				attempts: 2,
				unansweredAttempts: 1,
				vendorReference: 'bulk-2',
			});
			expect(receipt.message).toContain('An earlier attempt got no answer in time and may have been processed too');
		}
	});

	it('when no attempt is answered, the receipt is unconfirmed (may have been processed), not failed', async () => {
		jobs = 0;
		vendor.reset(slowThenFast(9));

		const result = await bloomreachBulk(
			{ requestTimeout: 1000, maxAttempts: 2, maxRetryWait: 20 },
			2,
			'continueRegularOutput',
		);

		expect(vendor.arrivals).toHaveLength(2);
		for (const receipt of receipts(result)) {
			expect(receipt).toMatchObject({
				status: 'unconfirmed',
				attempts: 2,
				unansweredAttempts: 2,
				vendorReference: null,
				httpStatus: null,
				failure: { reason: 'no_answer' },
			});
			expect(receipt.message).toMatch(
				/did not answer within 1000 ms \(Request Timeout option\): the vendor may have processed it\. Gave up after 2 attempts\.$/,
			);
		}
	});

	it('with On Error: Stop, the error counts such items as "may have been accepted", never as "nothing accepted"', async () => {
		jobs = 0;
		vendor.reset(slowThenFast(9));

		const result = await bloomreachBulk({ requestTimeout: 1000, maxAttempts: 1 }, 3);

		expect(result.main).toEqual([]);
		expect(result.error?.description).toBe(
			'Nothing was accepted before the node stopped. Sent but not answered, so they may have been accepted: items 1\u20133. Sending them again is safe. Every planned request was sent and is counted above.',
		);
	});
});

describe('a read-only request that got no answer', () => {
	afterEach(() => vendor.reset((_request, response) => json(response, 200, {})));
	const neverAnswers: Handler = () => {};

	it('a timed-out Verify is failed and says nothing was changed, never that the vendor may have processed it', async () => {
		vendor.reset(neverAnswers);

		const result = await runNode({
			node: new CustomerGauge(),
			parameters: {
				...customerGaugeAnonymizeByEmail,
				operation: 'verify',
				options: { requestTimeout: 250, maxAttempts: 1 },
			},
			credentials: {
				customerGaugeApi: { region: 'custom', customBaseUrl: vendor.url, apiKey: 'hardening-cg-key-verify' },
			},
			items: [{ email: 'a@example.com' }],
			onError: 'continueRegularOutput',
		});

		expect(vendor.arrivals.map((arrival) => arrival.method)).toEqual(['GET']);
		expect(receipts(result)[0]).toMatchObject({
			status: 'failed',
			attempts: 1,
			httpStatus: null,
			unansweredAttempts: 1,
			overdue: false,
			message: `The read-only request was sent, but ${new URL(vendor.url).host} did not answer within 250 ms (Request Timeout option). It changes nothing, so nothing was changed; run it again later.`,
			failure: { reason: 'no_answer' },
		});
	});

	it('a Count Matches First search without an answer fails the item: no erasure is sent, nothing was erased', async () => {
		vendor.reset(neverAnswers);

		const result = await blueshift(
			'forget',
			{ countMatchesFirst: true, requestTimeout: 250, maxAttempts: 2, maxRetryWait: 20 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);

		expect(vendor.arrivals.map((arrival) => arrival.method)).toEqual(['GET', 'GET']);
		expect(receipts(result)[0]).toMatchObject({
			status: 'failed',
			attempts: 2,
			unansweredAttempts: 2,
			message: `Nothing was erased: the search for matching profiles (Count Matches First) failed, so the erasure request was not sent. The read-only request was sent, but ${new URL(vendor.url).host} did not answer within 250 ms (Request Timeout option). It changes nothing, so nothing was changed; run it again later. Gave up after 2 attempts.`,
			failure: { reason: 'network' },
		});
	});
});

describe('the stop error with requests sent concurrently', () => {
	it('accounts for every item exactly, as compact ranges, against what the server received', async () => {
		vendor.reset((_request, response, arrival) => {
			const number = Number(/person(\d+)%40/.exec(arrival.body)![1]);
			// Item 30 is refused after 20 ms; 31 is accepted at once and later ones slowly, so some
			// requests are in flight when the refusal arrives and some are never started.
			const [status, body, delay] =
				number === 30
					? [400, { Data: { message: 'Invalid email' } }, 20]
					: [200, { Data: { message: 'Record updated successfully' } }, number === 31 ? 1 : number > 31 ? 50 : 2];
			setTimeout(() => json(response, status, body), delay).unref();
		});
		const items = Array.from({ length: 40 }, (_, index) => ({ email: `person${index + 1}@example.com` }));

		const result = await customerGauge(
			{ maxConcurrentRequests: 4, maxRequestsPerSecond: 0, itemsPerBatch: 1000 },
			items,
		);

		const sentItems = vendor.arrivals.map((arrival) => Number(/person(\d+)%40/.exec(arrival.body)![1]));
		const accepted = sentItems.filter((item) => item !== 30).sort((a, b) => a - b);
		const neverSent = items.map((_, index) => index + 1).filter((item) => !sentItems.includes(item));
		expect(accepted).toContain(31);
		expect(neverSent.length).toBeGreaterThan(0);
		const ranges = (numbers: number[]) => {
			const runs: string[] = [];
			for (let start = 0; start < numbers.length;) {
				let end = start;
				while (end + 1 < numbers.length && numbers[end + 1] === numbers[end] + 1) end++;
				runs.push(end === start ? `${numbers[start]}` : `${numbers[start]}\u2013${numbers[end]}`);
				start = end + 1;
			}
			return `${numbers.length === 1 ? 'item' : 'items'} ${runs.join(', ')}`;
		};
		expect(result.error?.description).toBe(
			`Accepted before the node stopped: ${ranges(accepted)}. Their erasure is under way: do not send them again. Failed: item 30. Never sent: ${ranges(neverSent)}. Requests already under way when the node stopped were completed and are counted above; none started after.`,
		);
	});
});

describe('the stop error, group by group', () => {
	it('lists every vendor reference of the requests accepted before the stop, not only the first', async () => {
		let requests = 0;
		vendor.reset((_request, response) => {
			requests++;
			if (requests <= 2) return json(response, 200, { success: true, bulk_id: `bulk-${requests}` });
			json(response, 400, { success: false, errors: ['customers[0]: unknown customer ID name'] });
		});

		const result = await bloomreachBulk({ customersPerRequest: 2, maxAttempts: 1 }, 8);

		expect(vendor.arrivals).toHaveLength(3);
		expect(result.error?.message).toBe(
			'Bloomreach Engagement did not accept request 3 after 1 attempt(s): Bloomreach refused the request (HTTP 400): customers[0]: unknown customer ID name.',
		);
		expect(result.error?.description).toBe(
			'Accepted before the node stopped: items 1\u20134 (vendor references bulk-1, bulk-2). Their erasure is under way: do not send them again. Failed: items 5\u20136. Never sent: items 7\u20138. Requests already under way when the node stopped were completed and are counted above; none started after.',
		);
	});

	it('counts items with nothing to erase (Count Matches First found none) as such, never as accepted', async () => {
		vendor.reset((request, response) => {
			if (request.method === 'GET' && request.url?.includes('nobody')) return json(response, 200, { users: [] });
			if (request.method === 'GET') return json(response, 200, { users: [{ email: 'someone@example.com' }] });
			json(response, 400, { errors: { email: ['is invalid'] } });
		});

		const result = await blueshift('forget', { countMatchesFirst: true, maxAttempts: 1, maxConcurrentRequests: 1 }, [
			{ email: 'nobody@example.com' },
			{ email: 'someone@example.com' },
			{ email: 'later@example.com' },
		]);

		expect(vendor.arrivals.map((arrival) => arrival.method)).toEqual(['GET', 'GET', 'POST']);
		expect(result.error?.description).toBe(
			'Nothing was accepted before the node stopped. Nothing to erase, so not sent: item 1. Failed: item 2. Never sent: item 3. Requests already under way when the node stopped were completed and are counted above; none started after.',
		);
	});
});

describe('with On Error: Stop Workflow, one invalid item', () => {
	beforeEach(() =>
		vendor.reset((_request, response) => json(response, 200, { success: true, status: 'ok', Data: { message: 'ok' } })),
	);
	const items = [
		{ email: 'a@example.com' },
		{ email: 'b@example.com' },
		{ email: 'not-an-email' },
		{ email: 'd@example.com' },
	];

	it.each([
		[
			'Bloomreach Engagement (an empty ID value)',
			() =>
				runNode({
					node: new BloomreachEngagement(),
					parameters: { ...bloomreachBulkByEmail, options: {} },
					credentials: { bloomreachEngagementApi: { instanceUrl: vendor.url, ...BLOOMREACH_KEY } },
					items: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: '' }, { email: 'd@example.com' }],
				}),
		],
		['CustomerGauge', () => customerGauge({}, items)],
		['Blueshift', () => blueshift('forget', {}, items)],
	])('%s: nothing at all reaches the vendor (a server that accepts everything)', async (_label, run) => {
		const result = await run();

		expect(vendor.arrivals).toEqual([]);
		expect(result.main).toEqual([]);
		expect(result.error?.message).toMatch(/^Item 3: /);
		expect(result.error?.description).toMatch(/^Nothing was sent: every item is checked before the first request/);
	});
});

describe('a Retry-After longer than Max Retry Wait', () => {
	it('fails the request at once, saying how long the vendor asked to wait, instead of waiting it out', async () => {
		vendor.reset((_request, response) => {
			response
				.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' })
				.end(JSON.stringify({ Error: { Message: 'Too many requests' } }));
		});
		const started = Date.now();

		const result = await customerGauge(
			{ maxRetryWait: 1000, maxAttempts: 5 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);

		expect(Date.now() - started).toBeLessThan(10_000);
		expect(vendor.arrivals).toHaveLength(1);
		expect(receipts(result)[0]).toMatchObject({
			status: 'failed',
			attempts: 1,
			httpStatus: 429,
			message:
				'CustomerGauge refused the request (HTTP 429): Too many requests. The vendor asked to wait 120 s before retrying, longer than the Max Retry Wait option allows.',
			failure: { reason: 'rate_limited' },
		});
	});
});

describe('credentials echoed back by a vendor', () => {
	const everything = (result: RunResult) =>
		JSON.stringify([result.main, result.errorOutput, result.error, result.logs]);

	/** Every run of 8 characters of the secret form: a cut-off fragment must not survive either. */
	const expectNoFragmentOf = (text: string, secret: string) => {
		for (let start = 0; start + 8 <= secret.length; start++) expect(text).not.toContain(secret.slice(start, start + 8));
	};

	it.each([
		[
			'a JSON error',
			(auth: string) => (response: ServerResponse) =>
				json(response, 400, { errors: [`${'x'.repeat(95)} header was ${auth}`] }),
		],
		[
			'an HTML page cut to an excerpt',
			(auth: string) => (response: ServerResponse) =>
				response
					.writeHead(200, { 'content-type': 'text/html' })
					.end(`<html><body>${'y'.repeat(70)} Authorization: ${auth} ${'z'.repeat(200)}</body></html>`),
		],
	])('Bloomreach: %s echoing the Authorization header leaves no trace of the Basic pair', async (_label, answer) => {
		const basic = basicOf(BLOOMREACH_KEY.apiKeyId, BLOOMREACH_KEY.apiSecret);
		vendor.reset((request, response) => answer(String(request.headers.authorization))(response));

		const stopped = await bloomreachBulk({ maxAttempts: 1 }, 2);
		const continued = await bloomreachBulk({ maxAttempts: 1 }, 2, 'continueRegularOutput');

		expect(vendor.arrivals[0].authorization).toBe(`Basic ${basic}`);
		expect(stopped.error).toBeDefined();
		expect(receipts(continued)[0].status).not.toBe('accepted');
		for (const result of [stopped, continued]) {
			const text = everything(result);
			expectNoFragmentOf(text, basic);
			for (const secret of Object.values(BLOOMREACH_KEY)) expect(text).not.toContain(secret);
			expect(text).toContain('[redacted]');
		}
	});

	it('Blueshift: a key echoed URL-encoded (as it would travel in a path or query) is redacted like the key itself', async () => {
		const key = 'hardening key/with+chars&=';
		vendor.reset((_request, response) =>
			json(response, 400, { message: `Unknown key ${encodeURIComponent(key)} (raw: ${key})` }),
		);

		const result = await runNode({
			node: new Blueshift(),
			parameters: { ...blueshiftByEmail('forget'), options: { maxAttempts: 1 } },
			credentials: { blueshiftApi: { region: 'custom', customBaseUrl: vendor.url, userApiKey: key } },
			items: [{ email: 'a@example.com' }],
			onError: 'continueRegularOutput',
		});

		expect(vendor.arrivals).toHaveLength(1);
		expect(everything(result)).not.toContain(encodeURIComponent(key));
		expect(everything(result)).not.toContain(key);
		expect(receipts(result)[0].message).toBe(
			'Blueshift refused the request (HTTP 400): Unknown key [redacted] (raw: [redacted]).',
		);
	});

	it('Blueshift: an error echoing "Basic base64(key:)" is redacted in receipts, the stop error and the logs', async () => {
		const basic = basicOf(BLUESHIFT_KEY, '');
		vendor.reset((request, response) =>
			json(response, 422, { errors: { auth: [`unexpected ${request.headers.authorization}`] } }),
		);

		const stopped = await blueshift('forget', { maxAttempts: 1 }, [{ email: 'a@example.com' }]);
		const continued = await blueshift(
			'forget',
			{ maxAttempts: 1 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);

		for (const result of [stopped, continued]) {
			const text = everything(result);
			expectNoFragmentOf(text, basic);
			expect(text).not.toContain(BLUESHIFT_KEY);
		}
		expect(receipts(continued)[0].message).toContain('[redacted]');
	});

	it('Blueshift: an error under a "__proto__" key is quoted, redacted, as the vendor sent it', async () => {
		vendor.reset((request, response) =>
			response
				.writeHead(422, { 'content-type': 'application/json' })
				.end(`{"errors":{"__proto__":["unexpected ${request.headers.authorization}"]}}`),
		);

		const continued = await blueshift(
			'forget',
			{ maxAttempts: 1 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);

		expect(receipts(continued)[0].message).toBe(
			'Blueshift refused the request (HTTP 422): __proto__: unexpected Basic [redacted].',
		);
		expect(everything(continued)).not.toContain(BLUESHIFT_KEY);
	});
});

describe('a refused identifier, quoted in messages', () => {
	beforeEach(() =>
		vendor.reset((_request, response) => json(response, 200, { Data: { message: 'Record updated successfully' } })),
	);
	const sha256 = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
	const everything = (result: RunResult) =>
		JSON.stringify([result.main, result.errorOutput, result.error, result.logs]);

	it.each([
		['masked (the default)', {}, '"j***@example.com"'],
		['SHA-256', { identifierInOutput: 'sha256' }, `"${sha256('jane.doe@@example.com')}"`],
		['as given', { identifierInOutput: 'asGiven' }, '"jane.doe@@example.com"'],
	])('follows Identifier in Output %s in the receipt', async (_form, options, shown) => {
		const result = await customerGauge(
			{ identifierInOutput: 'masked', ...options },
			[{ email: 'jane.doe@@example.com' }],
			'continueRegularOutput',
		);

		expect(vendor.arrivals).toHaveLength(0);
		expect(receipts(result)[0]).toMatchObject({
			status: 'failed',
			message: `Not sent: Email ${shown} is not a valid email address.`,
			failure: { reason: 'invalid_input', field: 'Email', description: `${shown} is not a valid email address` },
		});
		if (!shown.includes('jane.doe')) expect(everything(result)).not.toContain('jane.doe');
	});

	it('is masked in the stop error too (On Error: Stop Workflow)', async () => {
		const result = await customerGauge({ identifierInOutput: 'masked' }, [{ email: 'jane.doe@@example.com' }]);

		expect(vendor.arrivals).toHaveLength(0);
		expect(result.error?.message).toBe('Item 1: Email "j***@example.com" is not a valid email address');
		expect(everything(result)).not.toContain('jane.doe');
	});

	it('is bounded in length: a 10,000-character email is cut, with its length', async () => {
		const long = `x@${'a'.repeat(9990)}.com`;
		const [masked, asGiven] = await Promise.all([
			customerGauge({ identifierInOutput: 'masked' }, [{ email: long }], 'continueRegularOutput'),
			customerGauge({ identifierInOutput: 'asGiven' }, [{ email: long }], 'continueRegularOutput'),
		]);

		expect(receipts(masked)[0].message).toBe(
			`Not sent: Email "x***@${'a'.repeat(75)}… (9999 characters)" is not a valid email address.`,
		);
		expect(receipts(asGiven)[0].message).toBe(
			`Not sent: Email "x@${'a'.repeat(78)}… (9996 characters)" is not a valid email address.`,
		);
		for (const result of [masked, asGiven]) {
			expect(String(receipts(result)[0].message).length).toBeLessThan(200);
			expect(String((receipts(result)[0].failure as { description: string }).description).length).toBeLessThan(200);
		}
	});
});

describe('input that would erase the wrong person', () => {
	it.each([
		['zero-width space', 'a@example.com\u200b', 'U+200B'],
		['right-to-left override', '\u202ea@example.com', 'U+202E'],
		['word joiner', 'a\u2060@example.com', 'U+2060'],
		['NUL', 'a@example.com\u0000', 'U+0000'],
	])('refuses an email with a %s, naming item and field, and sends nothing', async (_label, email, codePoint) => {
		vendor.reset((_request, response) => json(response, 200, { Data: { message: 'Record updated successfully' } }));

		const result = await customerGauge({}, [{ email }], 'continueRegularOutput');

		expect(vendor.arrivals).toEqual([]);
		expect(receipts(result)).toEqual([
			expect.objectContaining({
				status: 'failed',
				attempts: 0,
				failure: expect.objectContaining({ reason: 'invalid_input', field: 'Email' }),
			}),
		]);
		expect(receipts(result)[0].message).toContain(`Email contains an invisible or control character (${codePoint})`);

		const stopped = await customerGauge({}, [{ email: 'fine@example.com' }, { email }]);
		expect(stopped.error?.message).toMatch(
			new RegExp(`^Item 2: Email contains an invisible or control character \\(${codePoint.replace('+', '\\+')}\\)`),
		);
		expect(vendor.arrivals).toEqual([]);
	});

	it('refuses an ID beyond 2^53 given as a number, and tells the user to pass IDs as text', async () => {
		vendor.reset((_request, response) => json(response, 200, { status: 'ok' }));

		const result = await blueshift(
			'forget',
			{},
			[{ id: 12345678901234567890 }, { id: '12345678901234567890' }],
			'continueRegularOutput',
			vendor.url,
			{
				email: '',
				otherIdentifiers: { customerId: '={{ $json.id }}' },
			},
		);

		const [rounded, asText] = receipts(result);
		expect(rounded).toMatchObject({ status: 'failed', failure: { reason: 'invalid_input', field: 'Customer ID' } });
		expect(rounded.message).toContain('Pass IDs as text');
		expect(asText).toMatchObject({ status: 'accepted' });
		expect(vendor.arrivals.map((arrival) => JSON.parse(arrival.body))).toEqual([
			{ customer_id: '12345678901234567890' },
		]);
	});

	it('Bloomreach bulk: an ID name with a colon is not merged with another person', async () => {
		vendor.reset((_request, response) => json(response, 200, { success: true, bulk_id: 'bulk-colon' }));

		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				...bloomreachBulkByEmail,
				customerIdName: '={{ $json.idName }}',
				customerIdValue: '={{ $json.idValue }}',
				options: { identifierInOutput: 'asGiven' },
			},
			credentials: { bloomreachEngagementApi: { instanceUrl: vendor.url, ...BLOOMREACH_KEY } },
			items: [
				{ idName: 'registered', idValue: 'x:y' },
				{ idName: 'registered:x', idValue: 'y' },
			],
			onError: 'continueRegularOutput',
		});

		expect(JSON.parse(vendor.arrivals[0].body)).toEqual({
			customers: [{ customer_ids: { registered: 'x:y' } }, { customer_ids: { 'registered:x': 'y' } }],
		});
		for (const receipt of receipts(result)) expect(receipt).not.toHaveProperty('duplicateOfItemIndex');
	});

	it('Bloomreach single Anonymize: ID names such as constructor and toString are plain names; __proto__ is refused, not dropped', async () => {
		vendor.reset((_request, response) => json(response, 200, { success: true }));

		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				resource: 'customer',
				operation: 'anonymize',
				customerIds: {
					ids: [
						{ idName: 'constructor', idValue: '={{ $json.firstId }}' },
						{ idName: '={{ $json.secondName }}', idValue: 't-1' },
					],
				},
				options: { identifierInOutput: 'asGiven' },
			},
			credentials: { bloomreachEngagementApi: { instanceUrl: vendor.url, ...BLOOMREACH_KEY } },
			items: [
				{ firstId: 'c-1', secondName: 'toString' },
				{ firstId: 'c-2', secondName: '__proto__' },
			],
			onError: 'continueRegularOutput',
		});

		const [plain, prototype] = receipts(result);
		expect(plain).toMatchObject({ status: 'accepted' });
		expect(vendor.arrivals.map((arrival) => arrival.body)).toEqual([
			'{"customer_ids":{"constructor":"c-1","toString":"t-1"}}',
		]);
		expect(prototype).toMatchObject({
			status: 'failed',
			failure: { reason: 'invalid_input', field: 'Customer ID 2 Name' },
		});
		expect(prototype.message).toBe(
			'Not sent: Customer ID 2 Name "__proto__" cannot be sent: n8n drops it from request bodies.',
		);
	});
});

describe('a base URL that would move the request', () => {
	it.each([
		['a query', '?x=1', 'must not contain a query (?) or fragment (#)'],
		['a fragment', '#frag', 'must not contain a query (?) or fragment (#)'],
		['user info', '', 'must not contain a user name or password'],
	])('refuses %s, names the field, and sends nothing', async (label, suffix, problem) => {
		vendor.reset((_request, response) => json(response, 200, { success: true, bulk_id: 'moved' }));
		const url = label === 'user info' ? vendor.url.replace('http://', 'http://someone:pw@') : `${vendor.url}${suffix}`;

		const bloomreachResult = await bloomreachBulk({}, 1, 'continueRegularOutput', url);
		const blueshiftResult = await blueshift('forget', {}, [{ email: 'a@example.com' }], 'continueRegularOutput', url);

		expect(vendor.arrivals).toEqual([]);
		expect(receipts(bloomreachResult)[0]).toMatchObject({ status: 'failed', failure: { field: 'Instance URL' } });
		expect(receipts(bloomreachResult)[0].message).toContain(problem);
		expect(receipts(blueshiftResult)[0]).toMatchObject({ status: 'failed', failure: { field: 'Base URL' } });
		expect(JSON.stringify([bloomreachResult, blueshiftResult])).not.toContain(':pw@');
	});
});

describe('Request Timeout as a deadline', () => {
	it('ends an attempt against a server that drips a byte every 100 ms and never finishes', async () => {
		const drips: NodeJS.Timeout[] = [];
		vendor.reset((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write('{"Data": ');
			drips.push(setInterval(() => response.write(' '), 100));
		});

		const result = await customerGauge(
			{ requestTimeout: 400, maxAttempts: 1 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);
		drips.forEach(clearInterval);

		expect(receipts(result)).toEqual([
			expect.objectContaining({
				status: 'unconfirmed',
				attempts: 1,
				failure: expect.objectContaining({ reason: 'no_answer' }),
			}),
		]);
	});
});

describe('a token endpoint slower than the Request Timeout', () => {
	const slowTokens = (delayMs: number | null) => {
		const pending: Array<() => void> = [];
		vendor.reset((request, response) => {
			if (request.url !== '/oauth2/token') return json(response, 200, { message: 'Contact anonymized' });
			if (delayMs === null) return; // never answers
			const answer = setTimeout(
				() => json(response, 200, { access_token: 'slow-token', token_type: 'Bearer', expires_in: 3600 }),
				delayMs,
			);
			pending.push(() => clearTimeout(answer));
		});
		return () => pending.forEach((cancel) => cancel());
	};

	it.each([
		['answers after the deadline', 1500],
		['never answers', null],
	])('%s: the item fails, the API was never reached, nothing is said to be sent', async (_case, delayMs) => {
		const stopSlowTokens = slowTokens(delayMs);
		const result = await customerGaugeOAuth2(
			{ requestTimeout: 500, maxAttempts: 1 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);
		stopSlowTokens();

		expect(vendor.arrivals.map((arrival) => arrival.url)).toEqual(['/oauth2/token']);
		const problem = `CustomerGauge's API was never reached: n8n asked the OAuth2 token endpoint (${new URL(vendor.url).host}) for a token, and it did not answer within 500 ms (Request Timeout option). Nothing was sent to CustomerGauge's API.`;
		expect(receipts(result)).toEqual([
			expect.objectContaining({
				status: 'failed',
				attempts: 1,
				httpStatus: null,
				message: expect.stringContaining(problem),
				failure: expect.objectContaining({
					reason: 'network',
					description: `The OAuth2 token endpoint (${new URL(vendor.url).host}) did not answer usefully; the request is retried like any outage (Max Attempts).`,
				}),
			}),
		]);
	});
});

describe('a Request Timeout beyond what a timer can count', () => {
	// Node fires a timer of 2^31 ms or more after 1 ms, and refuses one of 2^32 ms or more outright.
	it.each([3_600_001, 2 ** 31, 2 ** 32, 0, 1500.5])(
		'refuses %s ms, naming the option, and sends nothing',
		async (requestTimeout) => {
			vendor.reset((_request, response) => json(response, 200, { Data: { message: 'Record updated successfully' } }));
			const items = [{ email: 'a@example.com' }, { email: 'b@example.com' }];

			const continued = await customerGauge({ requestTimeout }, items, 'continueRegularOutput');
			const stopped = await customerGauge({ requestTimeout }, items, 'stopWorkflow');

			expect(vendor.arrivals).toEqual([]);
			const problem = `must be a whole number of milliseconds from 1 to 3600000 (one hour), got ${requestTimeout}`;
			expect(receipts(continued)).toEqual(
				items.map(() =>
					expect.objectContaining({
						status: 'failed',
						attempts: 0,
						message: `Not sent: Request Timeout (Milliseconds) ${problem}.`,
						failure: { reason: 'invalid_input', field: 'Request Timeout (Milliseconds)', description: problem },
					}),
				),
			);
			expect(stopped.main).toEqual([]);
			expect(stopped.error?.message).toBe(`Request Timeout (Milliseconds) ${problem}`);
		},
	);

	it('accepts one hour, the end of its range', async () => {
		vendor.reset((_request, response) => json(response, 200, { Data: { message: 'Record updated successfully' } }));

		const result = await customerGauge({ requestTimeout: 3_600_000 }, [{ email: 'a@example.com' }], 'stopWorkflow');

		expect(vendor.arrivals).toHaveLength(1);
		expect(receipts(result)).toEqual([expect.objectContaining({ status: 'accepted', attempts: 1 })]);
	});
});

describe('an HTTPS vendor with a certificate that cannot be trusted', () => {
	const fixtures = path.join(__dirname, '..', 'fixtures');
	const tlsServer = createHttpsServer(
		{
			key: readFileSync(path.join(fixtures, 'self-signed.key')),
			cert: readFileSync(path.join(fixtures, 'self-signed.crt')),
		},
		(_request, response) => json(response, 200, { status: 'ok' }),
	);
	let tlsConnections = 0;
	tlsServer.on('connection', () => tlsConnections++);
	beforeAll(() => new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve)));
	afterAll(() => new Promise((resolve) => tlsServer.close(resolve)));

	it('is not retried, and the receipt says what is wrong', async () => {
		const url = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;

		const result = await blueshift(
			'forget',
			{ maxAttempts: 3, maxRetryWait: 20 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
			url,
		);

		expect(tlsConnections).toBe(1);
		expect(receipts(result)).toEqual([
			expect.objectContaining({
				status: 'failed',
				attempts: 1,
				failure: expect.objectContaining({ reason: 'network' }),
			}),
		]);
		expect(receipts(result)[0].message).toMatch(
			/^Nothing was sent: 127\.0\.0\.1:\d+ presents a self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. Retrying cannot help/,
		);
	});
});

describe("a 2xx that is not the vendor's JSON (a sign-in page)", () => {
	const SIGN_IN = '<!DOCTYPE html><html><body><form>Sign in</form></body></html>';
	const run = (label: string, items: Array<Record<string, unknown>>) => {
		if (label === 'Bloomreach Anonymize in Bulk') return bloomreachBulk({ maxAttempts: 1 }, 1, 'continueRegularOutput');
		if (label === 'Blueshift Forget') return blueshift('forget', { maxAttempts: 1 }, items, 'continueRegularOutput');
		if (label === 'CustomerGauge Anonymize (API key, v4.1)')
			return customerGauge({ maxAttempts: 1 }, items, 'continueRegularOutput');
		return customerGaugeOAuth2({ maxAttempts: 1 }, items, 'continueRegularOutput');
	};

	it.each([
		'Bloomreach Anonymize in Bulk',
		'CustomerGauge Anonymize (API key, v4.1)',
		'CustomerGauge Anonymize (OAuth2, v6)',
		'Blueshift Forget',
	])('%s: fails as unexpected_response, never accepted', async (label) => {
		vendor.reset((request, response) => {
			if (request.url === '/oauth2/token')
				return json(response, 200, { access_token: 'hardening-token', token_type: 'Bearer', expires_in: 3600 });
			response.writeHead(200, { 'content-type': 'text/html' }).end(SIGN_IN);
		});

		const result = await run(label, [{ email: 'person1@example.com' }]);

		const vendorName = label.split(' ')[0];
		expect(receipts(result)).toEqual([
			expect.objectContaining({
				status: 'failed',
				httpStatus: 200,
				attempts: 1,
				message: `${vendorName} answered HTTP 200 with an HTML page ("${SIGN_IN}"), so the request cannot be confirmed.`,
				failure: expect.objectContaining({ reason: 'unexpected_response' }),
			}),
		]);
		expect(vendor.arrivals.filter((arrival) => arrival.url !== '/oauth2/token')).toHaveLength(1);
	});
});

describe("a Blueshift search answered 404 that is not Blueshift's own", () => {
	it.each([
		[
			'an HTML gateway page',
			(response: ServerResponse) =>
				response.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>'),
		],
		['a wrong path in JSON', (response: ServerResponse) => json(response, 404, { message: 'Not Found' })],
		[
			'an API gateway body',
			(response: ServerResponse) => json(response, 404, { message: 'Customer not found', path: '/api/v1/customers' }),
		],
	])('%s fails the item instead of marking it skipped', async (_label, answer) => {
		vendor.reset((_request, response) => answer(response));

		const result = await blueshift(
			'forget',
			{ countMatchesFirst: true, maxAttempts: 1 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);

		expect(vendor.arrivals.map((arrival) => arrival.method)).toEqual(['GET']);
		expect(receipts(result)[0]).toMatchObject({ status: 'failed' });
	});

	it("Blueshift's own not-found answer still means no profiles", async () => {
		vendor.reset((_request, response) => json(response, 404, { message: 'Customer not found' }));

		const result = await blueshift(
			'forget',
			{ countMatchesFirst: true, maxAttempts: 1 },
			[{ email: 'a@example.com' }],
			'continueRegularOutput',
		);

		expect(receipts(result)[0]).toMatchObject({ status: 'skipped' });
	});
});

describe('a cancelled execution', () => {
	afterEach(() => vendor.reset((_request, response) => json(response, 200, {})));

	it('starts no new request after the cancel and aborts the one in flight', async () => {
		let cancel: () => void = () => {};
		let abortedInFlight = 0;
		vendor.reset((_request, response) => {
			const inFlight = vendor.arrivals.length === 3;
			// The third request is cancelled on arrival; its answer would come a second later.
			response.on('close', () => {
				if (!response.writableFinished) abortedInFlight++;
			});
			if (inFlight) cancel();
			setTimeout(
				() => json(response, 200, { Data: { message: 'Record updated successfully' } }),
				inFlight ? 1000 : 50,
			).unref();
		});
		const items = Array.from({ length: 20 }, (_, index) => ({ email: `person${index + 1}@example.com` }));

		await runNode({
			node: new CustomerGauge(),
			parameters: { ...customerGaugeAnonymizeByEmail, options: { maxRequestsPerSecond: 20, maxConcurrentRequests: 1 } },
			credentials: {
				customerGaugeApi: { region: 'custom', customBaseUrl: vendor.url, apiKey: 'hardening-cg-key-cancel' },
			},
			items,
			onStarted: (cancelExecution) => (cancel = cancelExecution),
		});
		// At 20 requests a second, a node that ignored the cancel would send about 20 more meanwhile.
		await new Promise((resolve) => setTimeout(resolve, 1000));

		expect(vendor.arrivals).toHaveLength(3);
		// The connection of the request under way was closed by n8n before its answer was written.
		expect(abortedInFlight).toBe(1);
	});
});

describe('pacing, as the vendor counts it', () => {
	/** The most arrivals inside any window of `windowMs` that starts at an arrival. */
	const mostInAnyWindow = (arrivals: Arrival[], windowMs: number) => {
		const times = arrivals.map((arrival) => arrival.at).sort((a, b) => a - b);
		let most = 0;
		for (let first = 0, last = 0; first < times.length; first++) {
			while (last < times.length && times[last] - times[first] < windowMs) last++;
			most = Math.max(most, last - first);
		}
		return most;
	};

	it('never lets more than Max Requests per Second arrive within one second', async () => {
		vendor.reset((_request, response) => json(response, 200, { status: 'ok' }));
		const items = Array.from({ length: 45 }, (_, index) => ({ email: `paced${index + 1}@example.com` }));

		const result = await blueshift(
			'forget',
			{ maxRequestsPerSecond: 15, maxConcurrentRequests: 4 },
			items,
			'continueRegularOutput',
		);

		expect(receipts(result).every((receipt) => receipt.status === 'accepted')).toBe(true);
		expect(vendor.arrivals).toHaveLength(45);
		expect(mostInAnyWindow(vendor.arrivals, 1000)).toBeLessThanOrEqual(15);
	});

	it('keeps a limit below one request per second, also when each answer takes longer than a second', async () => {
		// 0.5 means one start every two seconds; the answers come after 1.2 s, so the previous start has
		// left the one-second window by the time the next request asks to start.
		vendor.reset((_request, response) => void setTimeout(() => json(response, 200, { status: 'ok' }), 1200));
		const items = Array.from({ length: 3 }, (_, index) => ({ email: `slow${index + 1}@example.com` }));

		const result = await blueshift(
			'forget',
			{ maxRequestsPerSecond: 0.5, maxConcurrentRequests: 1 },
			items,
			'continueRegularOutput',
		);

		expect(receipts(result).map((receipt) => receipt.status)).toEqual(['accepted', 'accepted', 'accepted']);
		const times = vendor.arrivals.map((arrival) => arrival.at).sort((a, b) => a - b);
		expect(times).toHaveLength(3);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(1900);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(1900);
	});

	it('shares one budget among executions of the same account running at once', async () => {
		// The vendor refuses a request when Max Requests per Second already arrived in the last second.
		vendor.reset((_request, response, arrival) => {
			const recent = vendor.arrivals.filter(
				(other) => other !== arrival && arrival.at - other.at < 1000 && other.at <= arrival.at,
			);
			if (recent.length >= 10) return json(response, 429, { message: 'Too many requests' });
			json(response, 200, { status: 'ok' });
		});
		const run = (execution: number) =>
			blueshift(
				'forget',
				{ maxRequestsPerSecond: 10, maxConcurrentRequests: 2, maxAttempts: 1 },
				Array.from({ length: 8 }, (_, index) => ({ email: `shared${execution}-${index}@example.com` })),
				'continueRegularOutput',
			);

		const results = await Promise.all([1, 2, 3, 4].map(run));

		const statuses = results.flatMap(receipts).map((receipt) => receipt.status);
		expect(statuses).toHaveLength(32);
		expect(statuses.filter((status) => status !== 'accepted')).toEqual([]);
		expect(mostInAnyWindow(vendor.arrivals, 1000)).toBeLessThanOrEqual(10);
	});

	it('requestedAt is when the first attempt started, after its turn at the pacing, not when it began to wait', async () => {
		vendor.reset((_request, response) => json(response, 200, { status: 'ok' }));
		const before = Date.now();
		const items = Array.from({ length: 3 }, (_, index) => ({ email: `turn${index + 1}@example.com` }));

		// Three requests at once against a limit of 1 a second: the second and third wait 1 and 2 s for their turn.
		const result = await blueshift(
			'forget',
			{ maxRequestsPerSecond: 1, maxConcurrentRequests: 3 },
			items,
			'continueRegularOutput',
		);

		expect(vendor.arrivals).toHaveLength(3);
		for (const receipt of receipts(result)) {
			const requestedAt = Date.parse(String(receipt.requestedAt));
			const email = (receipt.identifiers as Array<{ value: string }>)[0].value;
			const arrival = vendor.arrivals.find((candidate) => candidate.body.includes(email))!;
			expect(requestedAt).toBeGreaterThanOrEqual(before);
			expect(arrival.wallAt - requestedAt).toBeGreaterThanOrEqual(0);
			expect(arrival.wallAt - requestedAt).toBeLessThan(900);
		}
		const starts = receipts(result)
			.map((receipt) => Date.parse(String(receipt.requestedAt)))
			.sort((a, b) => a - b);
		expect(starts[2] - starts[0]).toBeGreaterThanOrEqual(1900);
	});

	it('requestedAt is when the look-up sent first (Count Matches First) started, not the erasure after it', async () => {
		vendor.reset((request, response) =>
			json(response, 200, request.method === 'GET' ? { users: [{ email: 'first@example.com' }] } : { status: 'ok' }),
		);

		// At 1 a second the forget starts a second after the search.
		const result = await blueshift(
			'forget',
			{ countMatchesFirst: true, maxRequestsPerSecond: 1 },
			[{ email: 'first@example.com' }],
			'continueRegularOutput',
		);

		expect(vendor.arrivals.map((arrival) => arrival.method)).toEqual(['GET', 'POST']);
		const [search, forget] = vendor.arrivals;
		const requestedAt = Date.parse(String(receipts(result)[0].requestedAt));
		expect(receipts(result)[0]).toMatchObject({ status: 'accepted', matchedProfiles: 1 });
		expect(search.wallAt - requestedAt).toBeGreaterThanOrEqual(0);
		expect(forget.wallAt - requestedAt).toBeGreaterThanOrEqual(900);
	});

	it('keys the budget of an OAuth2 account on its client, not its token: a second execution 0.4 s later shares it', async () => {
		let tokens = 0;
		vendor.reset((request, response) => {
			if (request.url === '/oauth2/token')
				return json(response, 200, {
					access_token: `pacing-token-${++tokens}`,
					token_type: 'Bearer',
					expires_in: 3600,
				});
			json(response, 200, { message: 'Contact anonymized' });
		});
		// One credential: the first execution fetches the token and stores it; the second starts with it.
		const credentials = customerGaugeOAuth2Account('hardening-cg-pacing-client');
		const run = (execution: number) =>
			customerGaugeOAuth2(
				{ maxRequestsPerSecond: 5, maxConcurrentRequests: 2, maxAttempts: 1 },
				Array.from({ length: 10 }, (_, index) => ({ email: `oauth${execution}-${index}@example.com` })),
				'continueRegularOutput',
				credentials,
			);

		const first = run(1);
		await new Promise((resolve) => setTimeout(resolve, 400));
		const results = await Promise.all([first, run(2)]);

		expect(results.flatMap(receipts).map((receipt) => receipt.status)).toEqual(Array(20).fill('accepted'));
		expect(tokens).toBe(1);
		const apiArrivals = vendor.arrivals.filter((arrival) => arrival.url !== '/oauth2/token');
		expect(apiArrivals).toHaveLength(20);
		expect(new Set(apiArrivals.map((arrival) => arrival.authorization))).toEqual(new Set(['Bearer pacing-token-1']));
		expect(mostInAnyWindow(apiArrivals, 1000)).toBeLessThanOrEqual(5);
	});

	it("gives each vendor account its own budget: two keys at once together exceed one key's cap", async () => {
		vendor.reset((_request, response) => json(response, 200, { status: 'ok' }));
		const run = (account: number) =>
			runNode({
				node: new Blueshift(),
				parameters: {
					...blueshiftByEmail('forget'),
					options: { maxRequestsPerSecond: 5, maxConcurrentRequests: 2, maxAttempts: 1 },
				},
				credentials: {
					blueshiftApi: {
						region: 'custom',
						customBaseUrl: vendor.url,
						userApiKey: `hardening-bs-account-${account}-key`,
					},
				},
				items: Array.from({ length: 10 }, (_, index) => ({ email: `account${account}-${index}@example.com` })),
				onError: 'continueRegularOutput',
			});

		const results = await Promise.all([run(1), run(2)]);

		expect(results.flatMap(receipts).map((receipt) => receipt.status)).toEqual(Array(20).fill('accepted'));
		const byAccount = (account: number) =>
			vendor.arrivals.filter(
				(arrival) => arrival.authorization === `Basic ${basicOf(`hardening-bs-account-${account}-key`, '')}`,
			);
		expect([byAccount(1).length, byAccount(2).length]).toEqual([10, 10]);
		expect(mostInAnyWindow(byAccount(1), 1000)).toBeLessThanOrEqual(5);
		expect(mostInAnyWindow(byAccount(2), 1000)).toBeLessThanOrEqual(5);
		// One budget for both would allow 5 in any second; two allow 10 (at least 6 however busy the machine).
		expect(mostInAnyWindow(vendor.arrivals, 1000)).toBeGreaterThan(5);
	});
});
