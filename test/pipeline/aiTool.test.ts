/**
 * The nodes as an AI agent's tool, run through n8n-core's own tool machinery: an erasure is refused
 * (nothing sent) unless the node opts in; read-only operations and Dry Run run as usual.
 */
import nock from 'nock';
import type { INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { anonymize as bloomreachAnonymize } from '../../nodes/BloomreachEngagement/actions/customer/anonymize.operation';
import { anonymizeBulk } from '../../nodes/BloomreachEngagement/actions/customer/anonymizeBulk.operation';
import { verify as bloomreachVerify } from '../../nodes/BloomreachEngagement/actions/customer/verify.operation';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { deleteCustomer } from '../../nodes/Blueshift/actions/customer/delete.operation';
import { forget } from '../../nodes/Blueshift/actions/customer/forget.operation';
import { search } from '../../nodes/Blueshift/actions/customer/search.operation';
import { verify as blueshiftVerify } from '../../nodes/Blueshift/actions/customer/verify.operation';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { anonymize as customerGaugeAnonymize } from '../../nodes/CustomerGauge/actions/contact/anonymize.operation';
import { preview } from '../../nodes/CustomerGauge/actions/contact/preview.operation';
import { verify as customerGaugeVerify } from '../../nodes/CustomerGauge/actions/contact/verify.operation';
import type { ErasureOperation } from '../../nodes/shared/types/erasureOperation';
import { runNode, type ToolCallPath } from '../harness/engine';
import { acceptedReceipt, anyIsoTime, dryRunReceipt, expectedReceipt } from '../harness/receipts';

const ALLOW = 'Allow Erasure When Run by an AI Agent';
const fromAi = (key: string) => `={{ $fromAI('${key}', 'The ${key} of the person', 'string') }}`;

const BLOOMREACH = 'https://api.exponea.com';
const PROJECT = '/data/v2/projects/proj-token-1';
const CUSTOMER_GAUGE = 'https://api.eu.customergauge.com';
const BLUESHIFT = 'https://api.getblueshift.com';

const credentials = {
	bloomreachEngagementApi: {
		instanceUrl: BLOOMREACH,
		projectToken: 'proj-token-1',
		apiKeyId: 'key-id-1',
		apiSecret: 'secret-value-1',
	},
	customerGaugeApi: { region: 'eu', customBaseUrl: '', apiKey: 'cg-secret-key-1' },
	blueshiftApi: { region: 'us', customBaseUrl: '', userApiKey: 'bs-user-key-5d1e' },
};

interface ToolCase {
	label: string;
	node: () => INodeType;
	parameters: INodeParameters;
	vendor: string;
	operation: string;
	/** How the email given as `email` is identified in the receipt. */
	identifierType: string;
	/** The vendor's endpoint for this erasure, answering as it would accept it. */
	endpoint: () => nock.Interceptor;
	reply: [number, nock.Body];
	acceptedMessage: string;
	vendorReference?: string;
}

const bloomreachIds = { customerIds: { ids: [{ idName: 'registered', idValue: fromAi('email') }] } };
const BLOOMREACH_CONFIRMS =
	'Bloomreach answers the same whether or not it holds a customer with these IDs, so this confirms the request only: not that such a customer existed, nor that anonymization has finished (it runs asynchronously).';
const BLUESHIFT_ASYNCHRONOUS =
	'Deletion is asynchronous and can take a few hours: this confirms the request, not its completion.';

const erasures: ToolCase[] = [
	{
		label: 'Bloomreach Engagement: Anonymize',
		node: () => new BloomreachEngagement(),
		parameters: { resource: 'customer', operation: 'anonymize', ...bloomreachIds },
		vendor: 'Bloomreach Engagement',
		operation: 'anonymize',
		identifierType: 'registered',
		endpoint: () => nock(BLOOMREACH).post(`${PROJECT}/customers/anonymize`),
		reply: [200, { success: true }],
		acceptedMessage: `Bloomreach accepted the request to anonymize the customer with these IDs. ${BLOOMREACH_CONFIRMS}`,
	},
	{
		label: 'Bloomreach Engagement: Anonymize in Bulk',
		node: () => new BloomreachEngagement(),
		parameters: {
			resource: 'customer',
			operation: 'anonymizeBulk',
			identifyBy: 'customerId',
			customerIdName: 'registered',
			customerIdValue: fromAi('email'),
		},
		vendor: 'Bloomreach Engagement',
		operation: 'anonymizeBulk',
		identifierType: 'registered',
		endpoint: () => nock(BLOOMREACH).post(`${PROJECT}/customers/anonymize_bulk`),
		reply: [200, { success: true, bulk_id: 'bulk-1' }],
		acceptedMessage: `Bloomreach accepted the bulk anonymization request (bulk_id bulk-1). ${BLOOMREACH_CONFIRMS}`,
		vendorReference: 'bulk-1',
	},
	{
		label: 'CustomerGauge: Anonymize',
		node: () => new CustomerGauge(),
		parameters: {
			resource: 'contact',
			authentication: 'apiKey',
			operation: 'anonymize',
			identifyBy: 'email',
			email: fromAi('email'),
		},
		vendor: 'CustomerGauge',
		operation: 'anonymize',
		identifierType: 'email',
		endpoint: () => nock(CUSTOMER_GAUGE).post('/v4.1/anonymize.json'),
		reply: [200, { Data: { message: 'Record updated successfully' } }],
		acceptedMessage:
			'CustomerGauge accepted the anonymization of every record of this contact ("Record updated successfully"). Custom fields, and segment fields not agreed with CustomerGauge, are not anonymized.',
	},
	{
		label: 'Blueshift: Forget',
		node: () => new Blueshift(),
		parameters: { resource: 'customer', operation: 'forget', email: fromAi('email') },
		vendor: 'Blueshift',
		operation: 'forget',
		identifierType: 'email',
		endpoint: () => nock(BLUESHIFT).post('/api/v1/customers/forget'),
		reply: [200, { status: 'ok' }],
		acceptedMessage:
			'Blueshift accepted the request to forget the profiles matching these identifiers (at most 50 with one request): their personal data is deleted and they are no longer tracked. Blueshift does this asynchronously and it can take a few hours: this confirms the request, not its completion.',
	},
	{
		label: 'Blueshift: Delete',
		node: () => new Blueshift(),
		parameters: { resource: 'customer', operation: 'delete', email: fromAi('email') },
		vendor: 'Blueshift',
		operation: 'delete',
		identifierType: 'email',
		endpoint: () => nock(BLUESHIFT).post('/api/v1/customers/delete'),
		reply: [200, { status: 'ok' }],
		acceptedMessage: `Blueshift accepted the deletion of the first profile matching these identifiers; other matching profiles are kept (Delete All Matching Profiles is off). ${BLUESHIFT_ASYNCHRONOUS}`,
	},
];

/** Every request that reached the network layer without an interceptor taking it. */
let unmatched: string[] = [];
const recordUnmatched = (request: { method?: string; path?: string; options?: { host?: string } }) =>
	unmatched.push(`${request.method} ${request.options?.host ?? ''}${request.path ?? ''}`);
beforeEach(() => {
	unmatched = [];
	nock.emitter.on('no match', recordUnmatched);
});
afterEach(() => {
	nock.emitter.removeListener('no match', recordUnmatched);
});

/** Runs the node as an agent's tool, once per call; each call's arguments are what a model filled in. */
function asTool(
	node: INodeType,
	parameters: INodeParameters,
	calls: Array<Record<string, unknown>>,
	options: Record<string, unknown> = {},
	path: ToolCallPath = 'invoked',
) {
	return runNode({
		node,
		parameters: { ...parameters, options: { identifierInOutput: 'asGiven', ...options } },
		credentials,
		items: calls,
		asTool: path,
	});
}

const paths: ToolCallPath[] = ['invoked', 'requested'];

function refusal(vendor: string, operation: string, identifiers: Array<{ type: string; value: string }>) {
	return expectedReceipt({
		status: 'failed',
		vendor,
		operation,
		identifiers,
		httpStatus: null,
		attempts: 0,
		requestedAt: null,
		message: `Refused: ${vendor} ${operation} is an irreversible erasure and this node ran as an AI agent's tool. Nothing was sent. To allow it, turn on the node option "${ALLOW}", only behind a human review step.`,
		failure: {
			reason: 'refused_for_ai_tool',
			description: `A language model filled in this tool call, and an erasure cannot be undone: it runs as a tool only when "${ALLOW}" is on.`,
		},
	});
}

describe('an erasure run as an AI tool', () => {
	describe.each(erasures)('$label', (erasure) => {
		it.each(paths)(
			'without the opt-in (tool %s): sends nothing and answers each call with a refusal naming the option',
			async (path) => {
				const scope = erasure.endpoint().reply(...erasure.reply);

				const result = await asTool(
					erasure.node(),
					erasure.parameters,
					[{ email: 'jane@example.com' }, { email: 'joe@example.com' }],
					{},
					path,
				);

				expect(scope.isDone()).toBe(false);
				expect(unmatched).toEqual([]);
				expect(result.error).toBeUndefined();
				expect(result.agentError).toBeUndefined();
				expect(result.toolCalls.map(({ answer }) => answer)).toEqual([
					[refusal(erasure.vendor, erasure.operation, [{ type: erasure.identifierType, value: 'jane@example.com' }])],
					[refusal(erasure.vendor, erasure.operation, [{ type: erasure.identifierType, value: 'joe@example.com' }])],
				]);
			},
		);

		it.each(paths)(
			'with the opt-in (tool %s): sends the erasure and answers with the accepted receipt',
			async (path) => {
				const sent: unknown[] = [];
				const scope = erasure.endpoint().reply((_uri, body) => (sent.push(body), erasure.reply));

				const result = await asTool(
					erasure.node(),
					{ ...erasure.parameters, allowErasureAsAiTool: true },
					[{ email: 'jane@example.com' }],
					{},
					path,
				);

				expect(scope.isDone()).toBe(true);
				expect(sent).toHaveLength(1);
				expect(unmatched).toEqual([]);
				expect(result.agentError).toBeUndefined();
				expect(result.toolCalls.map(({ answer }) => answer)).toEqual([
					[
						acceptedReceipt({
							vendor: erasure.vendor,
							operation: erasure.operation,
							identifiers: [{ type: erasure.identifierType, value: 'jane@example.com' }],
							message: erasure.acceptedMessage,
							...(erasure.vendorReference ? { vendorReference: erasure.vendorReference } : {}),
						}),
					],
				]);
			},
		);

		it('with Dry Run: runs as usual, sending nothing', async () => {
			const scope = erasure.endpoint().reply(...erasure.reply);

			const result = await asTool(erasure.node(), erasure.parameters, [{ email: 'jane@example.com' }], {
				dryRun: true,
			});

			expect(scope.isDone()).toBe(false);
			expect(unmatched).toEqual([]);
			expect(result.toolCalls.map(({ answer }) => answer)).toEqual([
				[
					dryRunReceipt({
						vendor: erasure.vendor,
						operation: erasure.operation,
						identifiers: [{ type: erasure.identifierType, value: 'jane@example.com' }],
						message: expect.stringMatching(/^Dry run: checked, nothing sent\./),
						request: expect.objectContaining({ method: 'POST' }),
					}),
				],
			]);
		});
	});

	it('is refused before the credential is read or the item checked: a broken credential and an empty email still get the refusal', async () => {
		const result = await runNode({
			node: new Blueshift(),
			parameters: {
				resource: 'customer',
				operation: 'forget',
				email: fromAi('email'),
				options: { identifierInOutput: 'asGiven' },
			},
			credentials: {
				blueshiftApi: {
					region: 'custom',
					customBaseUrl: 'http://plain-http.example.com',
					userApiKey: 'bs-user-key-5d1e',
				},
			},
			items: [{ email: '   ' }],
			asTool: 'invoked',
		});

		expect(unmatched).toEqual([]);
		expect(result.agentError).toBeUndefined();
		expect(result.toolCalls.map(({ answer }) => answer)).toEqual([[refusal('Blueshift', 'forget', [])]]);
	});

	it('outside an agent, the node erases as before: the opt-in is a tool setting only', async () => {
		const scope = nock(BLUESHIFT).post('/api/v1/customers/forget').reply(200, { status: 'ok' });

		const result = await runNode({
			node: new Blueshift(),
			parameters: { resource: 'customer', operation: 'forget', email: '={{ $json.email }}', options: {} },
			credentials,
			items: [{ email: 'jane@example.com' }],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.main.map(({ json }) => json.status)).toEqual(['accepted']);
	});
});

describe('a read-only operation run as an AI tool runs as usual', () => {
	it.each(paths)('Blueshift Search (tool %s): searches and answers with the count', async (path) => {
		const scope = nock(BLUESHIFT)
			.get('/api/v1/customers')
			.query({ email: 'jane@example.com' })
			.reply(200, { users: [{ uuid: 'uuid-0', email: 'jane@example.com' }] });

		const result = await asTool(
			new Blueshift(),
			{ resource: 'customer', operation: 'search', email: fromAi('email') },
			[{ email: 'jane@example.com' }],
			{},
			path,
		);

		expect(scope.isDone()).toBe(true);
		expect(result.toolCalls.map(({ answer }) => answer)).toEqual([
			[
				expectedReceipt({
					status: 'found',
					vendor: 'Blueshift',
					operation: 'search',
					identifiers: [{ type: 'email', value: 'jane@example.com' }],
					httpStatus: 200,
					attempts: 1,
					requestedAt: anyIsoTime,
					requestNumber: 1,
					profileCount: 1,
					message: 'Blueshift holds 1 profile matching these identifiers. This search changed nothing.',
				}),
			],
		]);
	});

	it('Blueshift Verify Erasure: searches and answers completed', async () => {
		const scope = nock(BLUESHIFT)
			.get('/api/v1/customers')
			.query({ email: 'jane@example.com' })
			.reply(200, { users: [] });

		const result = await asTool(
			new Blueshift(),
			{ resource: 'customer', operation: 'verify', email: fromAi('email') },
			[{ email: 'jane@example.com' }],
		);

		expect(scope.isDone()).toBe(true);
		expect(result.toolCalls[0].answer).toEqual([
			expect.objectContaining({
				status: 'completed',
				operation: 'verify',
				httpStatus: 200,
				profileCount: 0,
				checkedAt: anyIsoTime,
				overdue: false,
			}),
		]);
	});

	it('CustomerGauge Preview and Verify Erasure: read the records', async () => {
		const records = { Data: [{ first_name: 'Jane', email: 'jane@example.com' }] };
		const scope = nock(CUSTOMER_GAUGE)
			.get('/v4.1/anonymize.json')
			.query({ email: 'jane@example.com' })
			.times(2)
			.reply(200, records);
		const parameters = { resource: 'contact', authentication: 'apiKey', identifyBy: 'email', email: fromAi('email') };

		const previewed = await asTool(new CustomerGauge(), { ...parameters, operation: 'preview' }, [
			{ email: 'jane@example.com' },
		]);
		const verified = await asTool(new CustomerGauge(), { ...parameters, operation: 'verify' }, [
			{ email: 'jane@example.com' },
		]);

		expect(scope.isDone()).toBe(true);
		expect(unmatched).toEqual([]);
		expect(previewed.toolCalls[0].answer).toEqual([
			expect.objectContaining({ status: 'found', operation: 'preview', httpStatus: 200 }),
		]);
		expect(verified.toolCalls[0].answer).toEqual([
			expect.objectContaining({ status: 'pending', operation: 'verify', httpStatus: 200 }),
		]);
	});

	it('Bloomreach Verify Erasure: answers unverifiable, sending nothing by design', async () => {
		const result = await asTool(
			new BloomreachEngagement(),
			{ resource: 'customer', operation: 'verify', ...bloomreachIds },
			[{ email: 'jane@example.com' }],
		);

		expect(unmatched).toEqual([]);
		expect(result.toolCalls[0].answer).toEqual([
			expect.objectContaining({
				status: 'unverifiable',
				operation: 'verify',
				identifiers: [{ type: 'registered', value: 'jane@example.com' }],
			}),
		]);
	});
});

describe('what a model is told', () => {
	const nodes: Array<[string, () => INodeType, Record<string, ErasureOperation<never>>]> = [
		[
			'Bloomreach Engagement',
			() => new BloomreachEngagement(),
			{ anonymize: bloomreachAnonymize, anonymizeBulk, verify: bloomreachVerify },
		],
		[
			'CustomerGauge',
			() => new CustomerGauge(),
			{ anonymize: customerGaugeAnonymize, preview, verify: customerGaugeVerify },
		],
		['Blueshift', () => new Blueshift(), { forget, delete: deleteCustomer, search, verify: blueshiftVerify }],
	] as never;

	it.each(nodes)(
		'%s: every operation has a tool description; an erasure says it is irreversible and refused unless allowed',
		(_vendor, node, operations) => {
			const properties = node().description.properties;
			const descriptions = properties.filter((property) => property.name === 'toolDescription');
			const operationOf = (property: INodeProperties) => (property.displayOptions?.show?.operation as string[])[0];
			expect(descriptions.map(operationOf).sort()).toEqual(Object.keys(operations).sort());
			for (const property of descriptions) {
				expect(property.displayOptions?.show?.['@tool']).toEqual([true]);
				const erases = operations[operationOf(property)].successStatus === 'accepted';
				if (erases) expect(property.default).toMatch(new RegExp(`IRREVERSIBLE.*refused_for_ai_tool.*"${ALLOW}"`));
				else expect(property.default).toMatch(/Read-only: changes nothing\.$/);
			}
			const optIn = properties.find((property) => property.name === 'allowErasureAsAiTool')!;
			expect(optIn).toMatchObject({ displayName: ALLOW, type: 'boolean', default: false });
			expect(optIn.description).toMatch(/only behind a human review step/);
			expect(optIn.displayOptions?.show).toEqual({
				'@tool': [true],
				operation: Object.entries(operations)
					.filter(([, operation]) => operation.successStatus === 'accepted')
					.map(([name]) => name),
			});
		},
	);

	it('the agent sees the erasure warning as the tool description, and the $fromAI arguments', async () => {
		const result = await asTool(
			new Blueshift(),
			{ resource: 'customer', operation: 'delete', email: fromAi('email') },
			[{ email: 'jane@example.com' }],
		);

		expect(result.toolCalls[0].tool).toEqual({
			name: 'Node_Under_Test',
			description: `Delete a customer in Blueshift: delete the first profile matching the identifiers, or all of them. IRREVERSIBLE: the person's data is erased for good. Refused when called by an AI agent or MCP client: nothing is sent and the answer is a receipt with status "failed" and failure reason "refused_for_ai_tool", unless a person turned on the node option "${ALLOW}".`,
			arguments: ['email'],
		});
	});
});
