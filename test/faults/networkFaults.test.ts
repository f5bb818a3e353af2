/**
 * Faults that only exist on a real socket: a connection reset, a refused connection and an answer
 * slower than the Request Timeout, against a server on 127.0.0.1 (the custom base URLs allow plain
 * HTTP on loopback).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode, type OnError, type RunResult } from '../harness/engine';
import { bloomreachBulkByEmail, blueshiftByEmail, customerGaugeAnonymizeByEmail } from '../harness/nodeParameters';

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let baseUrl: string;
/** What the server does with each next request; an empty queue answers success. */
const behaviours: Behaviour[] = [];
const requests: string[] = [];
let success: (response: ServerResponse) => void = () => {};

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	server = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			requests.push(`${request.method} ${request.url} ${body}`);
			const behaviour = behaviours.shift();
			if (behaviour) behaviour(request, response);
			else success(response);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

const reset: Behaviour = (request) => request.socket.destroy();
// The timeout leaves a prompt answer a whole second, and the slow one misses it by two: neither
// depends on the machine being idle.
const slow: Behaviour = (_request, response) => {
	setTimeout(() => success(response), 3000).unref();
};

const options = { identifierInOutput: 'masked', maxAttempts: 3, maxRetryWait: 50, requestTimeout: 1000 };

const nodes = [
	{
		label: 'Bloomreach Engagement: Anonymize in Bulk',
		answer: { success: true, bulk_id: 'bulk-ok' },
		run: (onError: OnError | undefined, url = baseUrl) =>
			runNode({
				node: new BloomreachEngagement(),
				parameters: {
					...bloomreachBulkByEmail,
					options,
				},
				credentials: {
					bloomreachEngagementApi: {
						instanceUrl: url,
						projectToken: 'project-1',
						apiKeyId: 'key-id-1',
						apiSecret: 'secret-1',
					},
				},
				items: [{ email: 'first@example.com' }, { email: 'second@example.com' }],
				onError,
			}),
	},
	{
		label: 'CustomerGauge: Anonymize',
		answer: { Data: { message: 'Record updated successfully' } },
		run: (onError: OnError | undefined, url = baseUrl) =>
			runNode({
				node: new CustomerGauge(),
				parameters: {
					...customerGaugeAnonymizeByEmail,
					options,
				},
				credentials: { customerGaugeApi: { region: 'custom', customBaseUrl: url, apiKey: 'cg-key-1' } },
				items: [{ email: 'first@example.com' }],
				onError,
			}),
	},
	{
		label: 'Blueshift: Forget',
		answer: { status: 'ok' },
		run: (onError: OnError | undefined, url = baseUrl) =>
			runNode({
				node: new Blueshift(),
				parameters: { ...blueshiftByEmail('forget'), options },
				credentials: { blueshiftApi: { region: 'custom', customBaseUrl: url, userApiKey: 'bs-key-1' } },
				items: [{ email: 'first@example.com' }],
				onError,
			}),
	},
];

const modes: Array<[string, OnError | undefined]> = [
	['Continue On Fail off', undefined],
	['Continue On Fail on', 'continueRegularOutput'],
	['error output', 'continueErrorOutput'],
];

function expectAllAccepted(result: RunResult, attempts: number) {
	expect(result.error).toBeUndefined();
	expect(result.main.length).toBeGreaterThan(0);
	result.main.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json).toMatchObject({ status: 'accepted', attempts, httpStatus: 200 });
	});
}

describe.each(nodes)('$label', (node) => {
	beforeAll(() => {
		success = (response) =>
			response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(node.answer));
	});

	it.each(modes)('retries a connection reset, then succeeds (%s)', async (_mode, onError) => {
		requests.length = 0;
		behaviours.push(reset);

		const result = await node.run(onError);

		expect(requests).toHaveLength(2);
		expect(requests[1]).toBe(requests[0]);
		expectAllAccepted(result, 2);
	});

	it.each(modes)('retries an answer slower than the Request Timeout, then succeeds (%s)', async (_mode, onError) => {
		requests.length = 0;
		behaviours.push(slow);

		const result = await node.run(onError);

		expect(requests).toHaveLength(2);
		expectAllAccepted(result, 2);
	});

	it.each(modes)('fails every item after a refused connection on every attempt (%s)', async (_mode, onError) => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
		await new Promise((resolve) => closed.close(resolve));

		const result = await node.run(onError, closedUrl);

		const message = expect.stringMatching(
			/^The vendor refused the connection \(127\.0\.0\.1:\d+, ECONNREFUSED\)\. Gave up after 3 attempts\.$/,
		);
		if (onError === undefined) {
			expect(result.main).toEqual([]);
			expect(result.error?.message).toMatch(/refused the connection/);
			expect(result.error?.description).toContain('Nothing was accepted before the node stopped.');
		} else {
			const failed =
				onError === 'continueRegularOutput'
					? result.main.map((item) => item.json)
					: result.errorOutput.map((item) => item.json.error);
			expect(failed.length).toBeGreaterThan(0);
			for (const receipt of failed) {
				expect(receipt).toMatchObject({
					status: 'failed',
					attempts: 3,
					httpStatus: null,
					message,
					failure: { reason: 'network' },
				});
			}
		}
	});
});
