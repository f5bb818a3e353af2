/**
 * A fourth vendor, written the way CONTRIBUTING.md's Architecture section says: one vendor module and
 * one credential, from nodes/shared's pieces alone. In the real engine it gets what the three
 * shipped vendors get (checking, one request per person, retries, pacing, redaction, receipts)
 * with nothing changed in the pipeline.
 */
import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { withHeader } from '../../credentials/common/requestAuthentication';
import { showFor } from '../../nodes/shared/description/displayOptions';
import { resourceAndOperations } from '../../nodes/shared/description/nodeProperties';
import { erasureOptions } from '../../nodes/shared/description/options';
import { itemParameter } from '../../nodes/shared/input/itemParameter';
import { requireSecureBaseUrl } from '../../nodes/shared/input/urlRules';
import { requireEmail, requireText } from '../../nodes/shared/input/valueRules';
import { fieldText, reasonForStatus } from '../../nodes/shared/sending/answerText';
import type { Connection, ErasureOperation, Vendor } from '../../nodes/shared/types/erasureOperation';
import { operationRouter } from '../../nodes/shared/pipeline/operationRouter';
import { registerCredentialType, runNode } from '../harness/engine';
import { notSentReceipt, sentReceipt } from '../harness/receipts';

class ExampleVendorApi implements ICredentialType {
	name = 'exampleVendorApi';

	displayName = 'Example Vendor API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
	];

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
		return withHeader(requestOptions, 'X-Api-Key', String(credentials.apiKey));
	}
}

const exampleVendor: Vendor<Connection> = {
	displayName: 'Example Vendor',
	async connect(context) {
		const credentials = await context.getCredentials('exampleVendorApi');
		return {
			credentialType: 'exampleVendorApi',
			baseUrl: requireSecureBaseUrl(credentials.baseUrl, 'Base URL'),
			secrets: [requireText(credentials.apiKey, 'API Key')],
		};
	},
};

const erase: ErasureOperation<string> = {
	vendor: exampleVendor,
	name: 'erase',
	successStatus: 'accepted',
	options: { itemsPerBatch: 10, batchIntervalMs: 0, maxConcurrentRequests: 1, maxRequestsPerSecond: 20 },
	readTarget: (context, itemIndex) => requireEmail(itemParameter(context, 'email', itemIndex), 'Email'),
	identifiers: (email) => [{ type: 'email', value: email }],
	key: (email) => email.toLowerCase(),
	buildRequest: ([email], connection) => ({
		method: 'POST',
		url: `${connection.baseUrl}/v1/erasures`,
		body: { email },
	}),
	interpret: ({ statusCode, body }) => {
		const reference = (body as { erasure_id?: unknown } | undefined)?.erasure_id;
		if (statusCode === 202 && typeof reference === 'string') {
			return { ok: true, reference, message: `Example Vendor accepted the erasure (${reference}).` };
		}
		return {
			ok: false,
			reason: reasonForStatus(statusCode),
			message: `Example Vendor refused the request (HTTP ${statusCode}): ${fieldText(body, ['error']) || 'no reason given'}.`,
		};
	},
};

class ExampleVendor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Example Vendor',
		name: 'exampleVendor',
		group: ['output'],
		version: 1,
		description: 'Erase people at Example Vendor',
		defaults: { name: 'Example Vendor' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'exampleVendorApi', required: true }],
		properties: [
			...resourceAndOperations(
				{ name: 'Person', value: 'person' },
				[{ name: 'Erase', value: 'erase', action: 'Erase a person' }],
				'erase',
			),
			...showFor(
				'person',
				['erase'],
				[
					{ displayName: 'Email', name: 'email', type: 'string', default: '={{ $json.email }}' },
					erasureOptions(erase.options),
				],
			),
		],
	};

	execute = operationRouter({ erase }, 'Example Vendor API');
}

registerCredentialType(new ExampleVendorApi());

const BASE = 'https://erasure.example-vendor.test';
const API_KEY = 'example-key-4711';

async function run(items: Array<Record<string, unknown>>) {
	return await runNode({
		node: new ExampleVendor(),
		parameters: {
			resource: 'person',
			operation: 'erase',
			email: '={{ $json.email }}',
			options: { identifierInOutput: 'asGiven' },
		},
		credentials: { exampleVendorApi: { baseUrl: BASE, apiKey: API_KEY } },
		items,
		onError: 'continueRegularOutput',
	});
}

/** A receipt of a request this node sent. */
const exampleReceipt = (
	fields: Record<string, unknown> & {
		identifiers: Array<{ type: string; value: string }>;
		status: string;
		httpStatus: number;
		attempts: number;
		message: string;
	},
) => sentReceipt({ vendor: 'Example Vendor', operation: 'erase', ...fields });

describe('a fourth vendor from the shared pieces alone', () => {
	it('checks every item, sends each person once with its credential, retries a 429 and answers every item', async () => {
		const sent: Array<{ body: unknown; key: unknown }> = [];
		const record = function (this: { req: { headers: Record<string, unknown> } }, _uri: string, body: unknown) {
			sent.push({ body, key: this.req.headers['x-api-key'] });
		};
		const vendor = nock(BASE)
			.post('/v1/erasures', { email: 'a@example.com' })
			.reply(function (uri, body) {
				record.call(this, uri, body);
				return [429, { error: 'slow down' }, { 'Retry-After': '0' }];
			})
			.post('/v1/erasures', { email: 'a@example.com' })
			.reply(function (uri, body) {
				record.call(this, uri, body);
				return [202, { erasure_id: 'e-1' }];
			})
			.post('/v1/erasures', { email: 'b@example.com' })
			.reply(function (uri, body) {
				record.call(this, uri, body);
				return [202, { erasure_id: 'e-2' }];
			});

		const result = await run([
			{ email: 'a@example.com' },
			{ email: 'not-an-email' },
			{ email: 'A@example.com' },
			{ email: 'b@example.com' },
		]);

		expect(vendor.isDone()).toBe(true);
		expect(sent).toEqual([
			{ body: { email: 'a@example.com' }, key: API_KEY },
			{ body: { email: 'a@example.com' }, key: API_KEY },
			{ body: { email: 'b@example.com' }, key: API_KEY },
		]);
		expect(result.main).toEqual([
			{
				json: exampleReceipt({
					identifiers: [{ type: 'email', value: 'a@example.com' }],
					status: 'accepted',
					httpStatus: 202,
					attempts: 2,
					vendorReference: 'e-1',
					message: 'Example Vendor accepted the erasure (e-1).',
				}),
				pairedItem: { item: 0 },
			},
			{
				json: notSentReceipt('Example Vendor', 'erase', 'Email', '"not-an-email" is not a valid email address'),
				pairedItem: { item: 1 },
			},
			{
				json: exampleReceipt({
					identifiers: [{ type: 'email', value: 'A@example.com' }],
					status: 'accepted',
					httpStatus: 202,
					attempts: 2,
					vendorReference: 'e-1',
					duplicateOfItemIndex: 0,
					message:
						"Example Vendor accepted the erasure (e-1). The same person as item 1: sent once, in that item's request.",
				}),
				pairedItem: { item: 2 },
			},
			{
				json: exampleReceipt({
					identifiers: [{ type: 'email', value: 'b@example.com' }],
					status: 'accepted',
					httpStatus: 202,
					attempts: 1,
					vendorReference: 'e-2',
					message: 'Example Vendor accepted the erasure (e-2).',
					requestNumber: 2,
				}),
				pairedItem: { item: 3 },
			},
		]);
	});

	it('keeps its key out of the receipt when the vendor quotes it back', async () => {
		nock(BASE)
			.post('/v1/erasures')
			.reply(401, { error: `unknown key ${API_KEY}` });

		const result = await run([{ email: 'c@example.com' }]);

		expect(result.main).toEqual([
			{
				json: exampleReceipt({
					identifiers: [{ type: 'email', value: 'c@example.com' }],
					status: 'failed',
					httpStatus: 401,
					attempts: 1,
					message: 'Example Vendor refused the request (HTTP 401): unknown key [redacted].',
					failure: {
						reason: 'authentication',
						description: 'Example Vendor refused the request (HTTP 401): unknown key [redacted].',
					},
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(result)).not.toContain(API_KEY);
	});
});
