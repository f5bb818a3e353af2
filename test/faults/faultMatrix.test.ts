/**
 * Every fault a vendor can answer with, for every mutating operation, under each of n8n's three
 * "On Error" settings. A new fault is one row in `faults`; a new operation one entry in
 * `operations`. Socket-level faults (reset, refused, too slow) need a real socket: see
 * networkFaults.test.ts.
 */
import type { INodeParameters } from 'n8n-workflow';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode, type OnError, type RunResult } from '../harness/engine';
import { bloomreachBulkByEmail, blueshiftByEmail, customerGaugeAnonymizeByEmail } from '../harness/nodeParameters';

const MARKERS = [
	'marker-key-id-7f3a',
	'marker-secret-9c1d',
	'marker-project-5e2b',
	'marker-cg-key-3b8e',
	'marker-bs-key-6a0c',
];

interface Operation {
	label: string;
	host: string;
	path: string;
	/** Items one run sends; all of them travel in one request. */
	items: Array<Record<string, unknown>>;
	accepted: nock.Body;
	rejected: nock.Body;
	/** A 2xx body in which the vendor reports a failure. */
	failedIn2xx: nock.Body;
	/** Blueshift is judged by the HTTP status, so a 2xx without a body is an acceptance there. */
	acceptsEmpty2xx: boolean;
	run(items: Array<Record<string, unknown>>, options: INodeParameters, onError?: OnError): Promise<RunResult>;
}

const BLOOMREACH_CREDENTIALS = {
	bloomreachEngagementApi: {
		instanceUrl: 'https://api.exponea.com',
		projectToken: 'marker-project-5e2b',
		apiKeyId: 'marker-key-id-7f3a',
		apiSecret: 'marker-secret-9c1d',
	},
};

const blueshiftOperation = (operation: 'forget' | 'delete', extra: INodeParameters = {}): Operation => ({
	label: `Blueshift: ${operation === 'forget' ? 'Forget' : 'Delete'}`,
	host: 'https://api.getblueshift.com',
	path: `/api/v1/customers/${operation}`,
	items: [{ email: 'first@example.com' }],
	accepted: { status: 'ok' },
	rejected: { errors: { email: ['is invalid'] } },
	failedIn2xx: { errors: { email: ['is invalid'] } },
	acceptsEmpty2xx: true,
	run: (items, options, onError) =>
		runNode({
			node: new Blueshift(),
			parameters: { ...blueshiftByEmail(operation), ...extra, options },
			credentials: { blueshiftApi: { region: 'us', customBaseUrl: '', userApiKey: 'marker-bs-key-6a0c' } },
			items,
			onError,
		}),
});

const operations: Operation[] = [
	{
		label: 'Bloomreach Engagement: Anonymize in Bulk',
		host: 'https://api.exponea.com',
		path: '/data/v2/projects/marker-project-5e2b/customers/anonymize_bulk',
		items: [{ email: 'first@example.com' }, { email: 'second@example.com' }],
		accepted: { success: true, bulk_id: 'bulk-ok' },
		rejected: { success: false, errors: ['customers[0]: unknown customer ID name'] },
		failedIn2xx: { success: false, errors: ['Bulk is disabled for this project'] },
		acceptsEmpty2xx: false,
		run: (items, options, onError) =>
			runNode({
				node: new BloomreachEngagement(),
				parameters: {
					...bloomreachBulkByEmail,
					options,
				},
				credentials: BLOOMREACH_CREDENTIALS,
				items,
				onError,
			}),
	},
	{
		label: 'Bloomreach Engagement: Anonymize',
		host: 'https://api.exponea.com',
		path: '/data/v2/projects/marker-project-5e2b/customers/anonymize',
		items: [{ email: 'first@example.com' }],
		accepted: { success: true },
		rejected: { success: false, errors: ['customer_ids: unknown customer ID name'] },
		failedIn2xx: { success: false, errors: ['Customer not found'] },
		acceptsEmpty2xx: false,
		run: (items, options, onError) =>
			runNode({
				node: new BloomreachEngagement(),
				parameters: {
					resource: 'customer',
					operation: 'anonymize',
					customerIds: { ids: [{ idName: 'registered', idValue: '={{ $json.email }}' }] },
					options,
				},
				credentials: BLOOMREACH_CREDENTIALS,
				items,
				onError,
			}),
	},
	{
		label: 'CustomerGauge: Anonymize',
		host: 'https://api.eu.customergauge.com',
		path: '/v4.1/anonymize.json',
		items: [{ email: 'first@example.com' }],
		accepted: { Data: { message: 'Record updated successfully' } },
		rejected: { Error: { Message: 'Email is not valid', Code: 1002 } },
		failedIn2xx: { Error: { Message: 'Email is not valid' } },
		acceptsEmpty2xx: false,
		run: (items, options, onError) =>
			runNode({
				node: new CustomerGauge(),
				parameters: {
					...customerGaugeAnonymizeByEmail,
					options,
				},
				credentials: { customerGaugeApi: { region: 'eu', customBaseUrl: '', apiKey: 'marker-cg-key-3b8e' } },
				items,
				onError,
			}),
	},
	blueshiftOperation('forget'),
	blueshiftOperation('delete', { deleteAllMatching: true }),
];

type FirstAnswer = (interceptor: nock.Interceptor, operation: Operation) => nock.Scope;

interface Fault {
	name: string;
	answer: FirstAnswer;
	/** Retried faults get a success as second answer; the others must not be retried. */
	retried: boolean;
	reason?: string;
	httpStatus?: number | null;
	/** Words the final message must contain, for the person reading it. */
	says: RegExp;
	/** The answer carries a Retry-After the node must wait for. */
	sendsRetryAfter?: boolean;
	/** Operations for which this answer is a success, not a fault. */
	acceptedBy?: (operation: Operation) => boolean;
}

const reply =
	(status: number, body: (operation: Operation) => nock.Body, headers?: () => Record<string, string>): FirstAnswer =>
	(interceptor, operation) =>
		interceptor.reply(status, body(operation), headers?.());

const faults: Fault[] = [
	{
		name: '429 with Retry-After in seconds',
		answer: reply(
			429,
			() => '',
			() => ({ 'Retry-After': '1' }),
		),
		retried: true,
		sendsRetryAfter: true,
		says: /accepted/,
	},
	{
		name: '429 with Retry-After as an HTTP date',
		answer: reply(
			429,
			() => '',
			() => ({ 'Retry-After': new Date(Date.now() + 1000).toUTCString() }),
		),
		retried: true,
		sendsRetryAfter: true,
		says: /accepted/,
	},
	{ name: '429 without Retry-After', answer: reply(429, () => ''), retried: true, says: /accepted/ },
	{ name: '500', answer: reply(500, () => 'Internal Server Error'), retried: true, says: /accepted/ },
	{ name: '502', answer: reply(502, () => '<html><body>Bad gateway</body></html>'), retried: true, says: /accepted/ },
	{ name: '503', answer: reply(503, () => ''), retried: true, says: /accepted/ },
	{ name: '504', answer: reply(504, () => 'Gateway Timeout'), retried: true, says: /accepted/ },
	{
		name: 'an HTML page with 200',
		answer: reply(200, () => '<!DOCTYPE html><html><body>Maintenance</body></html>'),
		retried: false,
		reason: 'unexpected_response',
		httpStatus: 200,
		says: /HTML page.*cannot be confirmed/,
	},
	{
		name: 'an empty body with 200',
		answer: reply(200, () => ''),
		retried: false,
		reason: 'unexpected_response',
		httpStatus: 200,
		says: /empty body.*cannot be confirmed/,
		acceptedBy: (operation) => operation.acceptsEmpty2xx,
	},
	{
		name: 'truncated JSON with 200',
		answer: reply(200, () => '{"success": tr'),
		retried: false,
		reason: 'unexpected_response',
		httpStatus: 200,
		says: /non-JSON body.*cannot be confirmed/,
	},
	{
		name: "400 with the vendor's validation error",
		answer: reply(400, (operation) => operation.rejected),
		retried: false,
		reason: 'rejected',
		httpStatus: 400,
		says: /refused the request \(HTTP 400\): .*(unknown customer ID name|Email is not valid|email: is invalid)/,
	},
	{
		name: '401',
		answer: reply(401, () => ({ message: 'Not authorized' })),
		retried: false,
		reason: 'authentication',
		httpStatus: 401,
		says: /HTTP 401/,
	},
	{
		name: '403',
		answer: reply(403, () => ({ message: 'Forbidden' })),
		retried: false,
		reason: 'authentication',
		httpStatus: 403,
		says: /HTTP 403/,
	},
	{
		name: 'a 2xx whose body reports failure',
		answer: reply(200, (operation) => operation.failedIn2xx),
		retried: false,
		reason: 'rejected',
		httpStatus: 200,
		says: /refused the request \(HTTP 200\)/,
	},
];

const onErrorModes: Array<[string, OnError | undefined]> = [
	['Continue On Fail off', undefined],
	['Continue On Fail on', 'continueRegularOutput'],
	['error output', 'continueErrorOutput'],
];

// No fault here is slow (socket-level faults are in networkFaults.test.ts), yet nock answers inside this
// worker: when the machine leaves the worker without CPU for longer than the Request Timeout during an
// attempt, the answer is read after the deadline, the node retries, and the retry finds the interceptor
// already used (with 10 s, stopping the worker for 11 s did that). An hour is far beyond vitest's test
// timeout (30 s), so the deadline never decides a result here: a machine too slow for a test fails it with
// vitest's own "Test timed out".
const options = { identifierInOutput: 'masked', maxAttempts: 3, requestTimeout: 3_600_000 };
// Backoff waits are capped short to keep the matrix fast; a Retry-After of one second must still fit.
const maxRetryWaitFor = (fault: Fault) => (fault.sendsRetryAfter ? 1500 : 20);

/** Requests the node sent that no interceptor answered (nock fails them): every request is counted, not only the answered ones. */
let unmatched: string[] = [];
const noteUnmatched = (request: { method?: string; path?: string }) =>
	unmatched.push(`${request.method} ${request.path}`);
beforeEach(() => {
	unmatched = [];
	nock.emitter.on('no match', noteUnmatched);
});
afterEach(() => {
	nock.emitter.removeListener('no match', noteUnmatched);
});
const expectEveryRequestAnswered = () =>
	expect(unmatched, `requests no interceptor answered: ${unmatched.join(', ')}`).toEqual([]);

function expectNoMarker(result: RunResult) {
	const everything = JSON.stringify([result.main, result.errorOutput, result.error ?? null, result.logs]);
	for (const marker of MARKERS) expect(everything).not.toContain(marker);
}

describe.each(operations)('$label', (operation) => {
	describe.each(faults)('$name', (fault) => {
		it.each(onErrorModes)('%s', async (_mode, onError) => {
			const sent: unknown[] = [];
			const scope = nock(operation.host);
			const record = () => (body: unknown) => (sent.push(body), true);
			fault.answer(scope.post(operation.path, record()), operation);
			if (fault.retried) scope.post(operation.path, record()).reply(200, operation.accepted);

			const result = await operation.run(
				operation.items,
				{ ...options, maxRetryWait: maxRetryWaitFor(fault) },
				onError,
			);

			expect(scope.isDone()).toBe(true);
			expectEveryRequestAnswered();
			expect(sent).toHaveLength(fault.retried ? 2 : 1);
			expect(sent.every((body) => JSON.stringify(body) === JSON.stringify(sent[0]))).toBe(true);
			expectNoMarker(result);
			const count = operation.items.length;

			if (fault.retried || fault.acceptedBy?.(operation)) {
				expect(result.error).toBeUndefined();
				expect(result.main.map((item) => item.pairedItem)).toEqual(operation.items.map((_, item) => ({ item })));
				for (const item of result.main) {
					expect(item.json).toMatchObject({ status: 'accepted', attempts: fault.retried ? 2 : 1, httpStatus: 200 });
					expect(item.json.message).toMatch(fault.retried ? fault.says : /accepted/);
					expect(JSON.stringify(item.json.identifiers)).not.toContain('first@');
				}
				return;
			}

			const failed = { status: 'failed', attempts: 1, httpStatus: fault.httpStatus, failure: { reason: fault.reason } };
			if (onError === undefined) {
				expect(result.main).toEqual([]);
				expect(result.error?.name).toBe('NodeApiError');
				expect(result.error?.message).toMatch(fault.says);
				expect(result.error?.description).toContain('Nothing was accepted before the node stopped.');
			} else if (onError === 'continueRegularOutput') {
				expect(result.main.map((item) => item.pairedItem)).toEqual(operation.items.map((_, item) => ({ item })));
				for (const item of result.main) {
					expect(item.json).toMatchObject(failed);
					expect(item.json.message).toMatch(fault.says);
				}
			} else {
				expect(result.main).toEqual([]);
				expect(result.errorOutput).toHaveLength(count);
				expect(result.errorOutput.map((item) => item.pairedItem)).toEqual(operation.items.map((_, item) => ({ item })));
				for (const item of result.errorOutput) {
					expect(item.json.error).toMatchObject(failed);
					expect(item.json.message).toMatch(fault.says);
				}
			}
		});
	});
});

describe('partial failure in a multi-request run: request 2 of 3 fails after every retry', () => {
	const bulk = operations[0];
	const people = Array.from({ length: 6 }, (_, index) => ({ email: `person${index}@example.com` }));
	const runOptions = { ...options, customersPerRequest: 2, maxRetryWait: 20 };

	function threeRequests() {
		const sent: string[][] = [];
		const record = (body: { customers: Array<{ customer_ids: { registered: string } }> }) => (
			sent.push(body.customers.map((customer) => customer.customer_ids.registered)),
			true
		);
		const scope = nock(bulk.host);
		scope.post(bulk.path, record).reply(200, { success: true, bulk_id: 'bulk-1' });
		scope.post(bulk.path, record).times(3).reply(503, { success: false, message: 'Service unavailable' });
		scope.post(bulk.path, record).reply(200, { success: true, bulk_id: 'bulk-3' });
		return sent;
	}

	it('Continue On Fail on: requests 1 and 3 accepted with their bulk_id, the items of request 2 failed', async () => {
		const sent = threeRequests();

		const result = await bulk.run(people, runOptions, 'continueRegularOutput');

		expectNoMarker(result);
		expectEveryRequestAnswered();

		expect(sent.map((emails) => emails.map((email) => email.slice(0, 7)))).toEqual([
			['person0', 'person1'],
			['person2', 'person3'],
			['person2', 'person3'],
			['person2', 'person3'],
			['person4', 'person5'],
		]);
		expect(
			result.main.map((item) => [item.pairedItem, item.json.status, item.json.vendorReference, item.json.attempts]),
		).toEqual([
			[{ item: 0 }, 'accepted', 'bulk-1', 1],
			[{ item: 1 }, 'accepted', 'bulk-1', 1],
			[{ item: 2 }, 'failed', null, 3],
			[{ item: 3 }, 'failed', null, 3],
			[{ item: 4 }, 'accepted', 'bulk-3', 1],
			[{ item: 5 }, 'accepted', 'bulk-3', 1],
		]);
		expect(result.main[2].json.failure).toEqual({
			reason: 'vendor_unavailable',
			description: 'Bloomreach refused the request (HTTP 503): Service unavailable.',
		});
	});

	it('error output: the accepted items on the success output, the two failed ones on the error output', async () => {
		threeRequests();

		const result = await bulk.run(people, runOptions, 'continueErrorOutput');

		expectNoMarker(result);
		expectEveryRequestAnswered();

		expect(result.main.map((item) => [item.pairedItem, item.json.vendorReference])).toEqual([
			[{ item: 0 }, 'bulk-1'],
			[{ item: 1 }, 'bulk-1'],
			[{ item: 4 }, 'bulk-3'],
			[{ item: 5 }, 'bulk-3'],
		]);
		expect(result.errorOutput.map((item) => [item.pairedItem, (item.json.error as { status: string }).status])).toEqual(
			[
				[{ item: 2 }, 'failed'],
				[{ item: 3 }, 'failed'],
			],
		);
	});

	it('Continue On Fail off: the node stops at request 2, lists what request 1 had accepted, and never sends request 3', async () => {
		const sent = threeRequests();

		const result = await bulk.run(people, runOptions, undefined);

		expectNoMarker(result);
		expectEveryRequestAnswered();

		expect(sent).toHaveLength(4);
		expect(result.main).toEqual([]);
		expect(result.error?.message).toBe(
			'Bloomreach Engagement did not accept request 2 after 3 attempt(s): Bloomreach refused the request (HTTP 503): Service unavailable.',
		);
		expect(result.error?.description).toBe(
			'Accepted before the node stopped: items 1\u20132 (vendor reference bulk-1). Their erasure is under way: do not send them again. Failed: items 3\u20134. Never sent: items 5\u20136. Requests already under way when the node stopped were completed and are counted above; none started after.',
		);
	});
});
