import { createHash, createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
	repoRoot,
	selectedRuntime,
	simulatorCredentialRefs,
	simulatorCredentials,
	type SimulatorCredentialType,
	WEBHOOK_TOKEN_HEADER,
} from '../../scripts/lib/n8n-runtime.mjs';
import { fixtureIds, type VendorName } from '../../simulator/index.mjs';
import { credentialDialogFields, type CredentialTypeData, pickerFinds } from '../harness/editorViews';
import { e2eContext } from './context';
import { connectMcp, type McpSession } from './support/mcpClient';
import {
	ownerSession,
	publishWorkflow,
	type Rest,
	type RouteProbe,
	type RunningN8n,
	startN8n,
} from './support/n8nServer';
import { requestLines, simulator } from './support/simulator';
import { until } from './support/waiting';
import { CANCEL_WEBHOOK_PATH, slowErasureWorkflow } from './workflows/cancel';
import { exposedTools, MCP_PATH, mcpToolsWorkflow, newestMcpTriggerVersion } from './workflows/mcpTools';
import { VERIFY_EXAMPLE_PATH, verifyExampleWorkflow } from './workflows/verifyExample';

interface ExampleFile {
	id: string;
	name: string;
	nodes: INode[];
}

const examplesDir = path.join(repoRoot, 'examples');
const examples: ExampleFile[] = readdirSync(examplesDir)
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as ExampleFile);
const exampleNamed = (name: string) => examples.find((example) => example.name === name)!;

const n8nMajor = Number(selectedRuntime().n8nVersion.split('.')[0]);

let n8n: RunningN8n | undefined;
let rest: Rest;

beforeAll(async () => {
	n8n = await startN8n();
	rest = await ownerSession(n8n.url);
});
afterAll(() => n8n?.stop());
beforeEach(() => simulator.reset());

/** Publishes a workflow and waits until its production route answers. */
const publish = (workflowId: string, probe: RouteProbe) => publishWorkflow(n8n!.url, rest, workflowId, probe);

describe("credential tests through n8n's REST API (the editor's Test button)", () => {
	const { simulatorUrl, simulatorSecrets: secrets } = e2eContext();
	const cases: Array<{
		type: SimulatorCredentialType;
		vendor: VendorName;
		good: IDataObject;
		bad: IDataObject;
		refusedWith: 401 | 403;
	}> = [
		{
			type: 'bloomreachEngagementApi',
			vendor: 'bloomreach',
			good: { instanceUrl: simulatorUrl, ...secrets.bloomreach },
			bad: { instanceUrl: simulatorUrl, ...secrets.bloomreach, apiSecret: 'wrong-secret' },
			refusedWith: 403,
		},
		{
			type: 'customerGaugeApi',
			vendor: 'customerGauge',
			good: { region: 'custom', customBaseUrl: simulatorUrl, apiKey: secrets.customerGauge.apiKey },
			bad: { region: 'custom', customBaseUrl: simulatorUrl, apiKey: 'wrong-key' },
			refusedWith: 401,
		},
		{
			type: 'blueshiftApi',
			vendor: 'blueshift',
			good: { region: 'custom', customBaseUrl: simulatorUrl, userApiKey: secrets.blueshift.userApiKey },
			bad: { region: 'custom', customBaseUrl: simulatorUrl, userApiKey: secrets.blueshift.eventApiKey },
			refusedWith: 401,
		},
	];

	const refusalWording = { 401: /unauthori[sz]ed|authori[sz]ation failed/i, 403: /forbidden/i };

	const testCredential = async (type: SimulatorCredentialType, data: IDataObject) =>
		await rest<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: { ...simulatorCredentialRefs[type], type, data },
		});

	it.each(cases)('$type: succeeds with the right key, fails with a message for a wrong one', async (credential) => {
		expect(await testCredential(credential.type, credential.good)).toEqual({
			status: 200,
			data: { status: 'OK', message: 'Connection successful!' },
		});
		// n8n words the refusal differently from version to version ("Forbidden - perhaps check your
		// credentials?" in 2.8, "Forbidden" in 2.40): what counts is an error that names the refusal.
		const refused = await testCredential(credential.type, credential.bad);
		expect(refused.status).toBe(200);
		expect(refused.data.status).toBe('Error');
		expect(refused.data.message).toMatch(refusalWording[credential.refusedWith]);
		// The nodes' own credential test sends one request per test, and never re-sends a refusal.
		const requests = await simulator.requests();
		expect(requests.map(({ vendor, method, status }) => [vendor, method, status])).toEqual([
			[credential.vendor, 'GET', 200],
			[credential.vendor, 'GET', credential.refusedWith],
		]);
	});
});

describe("the CustomerGauge OAuth2 credential's Test button, through n8n's REST API", () => {
	it('gets a token from the token URL (n8n fetches it) and reads the preview with it', async () => {
		const { simulatorUrl, simulatorSecrets } = e2eContext();
		// n8n tests an OAuth2 credential only once it is saved (it keeps the token with it): the imported one.
		const imported = simulatorCredentials(simulatorUrl, simulatorSecrets).find(
			({ type }) => type === 'customerGaugeOAuth2Api',
		);
		const tested = await rest<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: imported,
		});

		expect(tested.data).toEqual({ status: 'OK', message: 'Connection successful!' });
		// A token stored by an earlier run is unknown to the reset simulator: n8n then renews it first.
		const lines = (await simulator.requests()).map(({ method, endpoint, status }) => `${method} ${endpoint} ${status}`);
		expect(lines.slice(-2)).toEqual(['POST token 200', 'GET preview 200']);
		expect(lines.slice(0, -2)).toEqual(lines.length > 2 ? ['GET preview 401'] : []);
	});
});

describe('the CustomerGauge OAuth2 credential dialog (the credential types the editor loads)', () => {
	it("shows the client ID and secret, n8n's domain restriction and the region; a custom region adds its two URLs", async () => {
		const response = await fetch(`${n8n!.url}/types/credentials.json`, { headers: { cookie: rest.cookie } });
		expect(response.status).toBe(200);
		const types = (await response.json()) as CredentialTypeData[];
		const shown = ['clientId', 'clientSecret', 'allowedHttpRequestDomains', 'region'];
		expect(credentialDialogFields(types, 'customerGaugeOAuth2Api')).toEqual(shown);
		expect(credentialDialogFields(types, 'customerGaugeOAuth2Api', { region: 'custom' })).toEqual([
			...shown,
			'customBaseUrl',
			'customTokenUrl',
		]);
	});
});

describe('the example workflows', () => {
	it('import cleanly with n8n import:workflow', () => {
		const { examplesImport } = e2eContext();
		expect(examplesImport.code, examplesImport.stderr).toBe(0);
		expect(examplesImport.stdout).toContain(`Successfully imported ${examples.length} workflows.`);
		expect(examples.map((example) => example.name).sort()).toEqual([
			'Erase a list of people (webhook)',
			'Erase my data (form)',
			'Erase, verify later, keep a record (webhook)',
			'Erasure alerts (error workflow)',
			'Erasure follow-up and summary (schedule)',
			'Nightly bulk erasure (schedule)',
		]);
	});

	it.each(examples)(
		'"$name" is stored as in its file and uses only node types this n8n has loaded',
		async (example) => {
			const stored = await rest<ExampleFile>('GET', `/workflows/${example.id}`);
			expect(stored.status).toBe(200);
			expect(stored.data.name).toBe(example.name);
			expect(stored.data.nodes.map((node) => [node.name, node.type, node.typeVersion])).toEqual(
				example.nodes.map((node) => [node.name, node.type, node.typeVersion]),
			);

			// n8n answers 500 for a type it has not loaded, and each type's description lists its versions.
			// n8n 1.x has no Crypto node version 2 (HMAC secret in a credential), which the examples that
			// key a hash use: they need n8n 2.x (docs/privacy-officer.md, Security model); every other node must load.
			const onlyOnN8n2 = ({ type, typeVersion }: INode) => type === 'n8n-nodes-base.crypto' && typeVersion === 2;
			const loadable = example.nodes.filter((node) => !(onlyOnN8n2(node) && n8nMajor < 2));
			const distinct = new Map(
				loadable.map(({ type, typeVersion }) => [`${type}@${typeVersion}`, { type, typeVersion }]),
			);
			const nodeInfos = [...distinct.values()].map(({ type, typeVersion }) => ({ name: type, version: typeVersion }));
			const described = await rest<Array<{ name: string; version: number | number[] }>>('POST', '/node-types', {
				nodeInfos,
			});
			expect(described.status).toBe(200);
			expect(described.data.map(({ name, version }) => [name, [version].flat()])).toEqual(
				nodeInfos.map(({ name, version }) => [name.split('.').pop(), expect.arrayContaining([version])]),
			);
			// Every example but the error workflow, which only emails the privacy team, erases.
			const erases = nodeInfos.some(({ name }) => name.startsWith('n8n-nodes-erasure.'));
			expect(erases).toBe(example.nodes.every((node) => node.type !== 'n8n-nodes-base.errorTrigger'));
		},
	);
});

describe('"Erase a list of people (webhook)", published, at its production URL', () => {
	const { grace } = fixtureIds.bloomreach;
	const postPeople = async (query: string, people: IDataObject[]) => {
		const response = await fetch(`${n8n!.url}/webhook/erase-people${query}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [WEBHOOK_TOKEN_HEADER]: e2eContext().webhookToken },
			body: JSON.stringify({ people }),
		});
		return { status: response.status, receipts: (await response.json()) as IDataObject[] };
	};

	beforeAll(() =>
		publish(exampleNamed('Erase a list of people (webhook)').id, { method: 'OPTIONS', path: '/webhook/erase-people' }),
	);

	it('anonymizes everyone in one bulk request and answers with their receipts, in order', async () => {
		const { status, receipts } = await postPeople('', [{ email: grace.registered }, { email: 'nobody@example.com' }]);

		const { bloomreach } = await simulator.state();
		expect(bloomreach.anonymizations).toEqual([
			expect.objectContaining({
				endpoint: 'anonymize_bulk',
				anonymized: [grace.internalId],
				notFound: [{ customer_ids: { registered: 'nobody@example.com' } }],
			}),
		]);
		const bulkId = bloomreach.anonymizations[0].bulk_id;
		expect(status).toBe(200);
		expect(receipts.map(({ status, identifiers, vendorReference }) => [status, identifiers, vendorReference])).toEqual([
			['accepted', [{ type: 'registered', value: 'g***@example.com' }], bulkId],
			['accepted', [{ type: 'registered', value: 'n***@example.com' }], bulkId],
		]);
		const graceNow = bloomreach.customers.find((customer) => customer.internal_id === grace.internalId)!;
		expect(graceNow.ids.registered).toBeUndefined();
		expect(graceNow.events).toEqual([{ type: 'anonymization', timestamp: expect.any(Number), bulk_id: bulkId }]);
	});

	it('with ?dryRun=true, sends nothing and answers with the request that would be sent', async () => {
		const { status, receipts } = await postPeople('?dryRun=true', [{ email: grace.registered }]);

		expect(await simulator.requests()).toEqual([]);
		expect(status).toBe(200);
		expect(receipts).toEqual([
			expect.objectContaining({
				status: 'dry_run',
				identifiers: [{ type: 'registered', value: 'g***@example.com' }],
				request: expect.objectContaining({
					body: { customers: [{ customer_ids: { registered: 'g***@example.com' } }] },
				}),
			}),
		]);
	});
});

describe("stopping a running execution from n8n (the editor's Stop button)", () => {
	it('starts no request after the stop', async () => {
		await publish(slowErasureWorkflow.id, { method: 'OPTIONS', path: `/webhook/${CANCEL_WEBHOOK_PATH}` });
		const people = Array.from({ length: 40 }, (_, index) => ({ email: `stop-me-${index}@example.com` }));
		const called = await fetch(`${n8n!.url}/webhook/${CANCEL_WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ people }),
		});
		expect(called.status).toBe(200);

		await until('three requests at the vendor', async () =>
			(await simulator.requests()).length >= 3 ? true : undefined,
		);
		const running = await until('the running execution', async () => {
			const { data } = await rest<{ results: Array<{ id: string; status: string; workflowId: string }> }>(
				'GET',
				'/executions?limit=10',
			);
			return data.results.find(
				(execution) => execution.workflowId === slowErasureWorkflow.id && execution.status === 'running',
			);
		});
		const stopped = await rest('POST', `/executions/${running.id}/stop`);
		expect(stopped.status).toBe(200);
		const sentAtStop = (await simulator.requests()).length;

		// At 5 requests a second, a node that ignored the stop would send about 10 more meanwhile.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		const sentAfter = (await simulator.requests()).length;
		expect(sentAfter - sentAtStop).toBeLessThanOrEqual(1);
		expect(sentAfter).toBeLessThan(people.length);
	});
});

describe('"Erase, verify later, keep a record (webhook)"', () => {
	interface DataTable {
		id: string;
		name: string;
		projectId: string;
	}

	// n8n 1.x's Data table node has no "create table" operation: the example needs n8n 2.x (docs/privacy-officer.md, Security model).
	const tablesCanBeCreated = n8nMajor >= 2;

	const callExample = async (body: IDataObject) => {
		const called = await fetch(`${n8n!.url}/webhook/${VERIFY_EXAMPLE_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [WEBHOOK_TOKEN_HEADER]: e2eContext().webhookToken },
			body: JSON.stringify(body),
		});
		expect(called.status).toBe(202);
		const answer = (await called.json()) as { requestId: string };
		expect(answer).toEqual(expect.objectContaining({ status: 'accepted', requestId: expect.any(String) }));
		return answer.requestId;
	};
	/** The rows of one request in the data table "Erasure log" (other tests may have left rows of their own). */
	const rowsOf = async (requestId: string) => {
		const tables = await rest<unknown>('GET', '/data-tables-global');
		const list = (tables.data as { data?: DataTable[] }).data ?? (tables.data as DataTable[]);
		const table = Array.isArray(list) ? list.find((candidate) => candidate.name === 'Erasure log') : undefined;
		if (!table) return undefined;
		const found = await rest<unknown>('GET', `/projects/${table.projectId}/data-tables/${table.id}/rows`);
		const data = found.data as { data?: Array<Record<string, unknown>> };
		const rows = data.data ?? (found.data as Array<Record<string, unknown>>);
		const own = Array.isArray(rows) ? rows.filter((row) => row.requestId === requestId) : [];
		return own.length > 0 ? own : undefined;
	};
	const failedExecution = async () => {
		const { data: executions } = await rest<{ results: Array<{ id: string; status: string; workflowId: string }> }>(
			'GET',
			'/executions?limit=10',
		);
		return executions.results.find(
			(execution) => execution.workflowId === verifyExampleWorkflow.id && execution.status === 'error',
		);
	};
	/** The request's row, once written by an execution that did not fail. */
	const rowOfSuccessfulRun = (requestId: string) =>
		until('the row in the erasure log', async () => {
			const failed = await failedExecution();
			if (failed) {
				const { data } = await rest<{ data: string }>('GET', `/executions/${failed.id}`);
				throw new Error(`The example's execution failed: ${JSON.stringify(data).slice(0, 3000)}`);
			}
			return await rowsOf(requestId);
		});
	/** What the verify example sends: the erasure at both vendors (CustomerGauge after a token), then the checks. */
	const ERASED_AT_BOTH_VENDORS = [
		'POST customerGauge token 200',
		'POST customerGauge anonymize_v6 200',
		'POST blueshift forget 200',
	];
	const CHECKED_AT_BOTH_VENDORS = ['GET customerGauge preview 200', 'GET blueshift search 200'];
	// A token stored by an earlier test is unknown to the reset simulator: n8n then renews it first.
	const vendorLines = async () => {
		const lines = requestLines(await simulator.requests());
		return lines[0] === 'POST customerGauge anonymize_v6 401' ? lines.slice(1) : lines;
	};

	it.runIf(tablesCanBeCreated)(
		'erases, waits, verifies both vendors as completed and writes one hashed row with the deadline to the data table',
		async () => {
			await publish(verifyExampleWorkflow.id, { method: 'OPTIONS', path: `/webhook/${VERIFY_EXAMPLE_PATH}` });
			const { solo } = fixtureIds.blueshift;
			// A keyed hash: without the key of the "Erasure log key" credential, hashing guesses finds no one.
			const keyed = createHmac('sha256', e2eContext().logKey).update(solo.email).digest('hex');
			const requestId = await callExample({ email: solo.email, receivedAt: '2026-10-31T10:00:00Z' });

			const rows = await rowOfSuccessfulRun(requestId);

			expect(rows).toEqual([
				expect.objectContaining({
					person: `hmac-sha256:${keyed}`,
					receivedAt: '2026-10-31T10:00:00.000Z',
					dueBy: '2026-11-30',
					// No extension.
					originalDueBy: '2026-11-30',
					extensionReason: null,
					extensionToldOn: null,
					customerGauge: 'completed',
					blueshift: 'completed',
					completed: true,
					overdue: false,
					checkedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
					// Completed: the address is not kept; completed when this check found it, after 2026-11-30.
					email: null,
					completedLate: true,
				}),
			]);
			expect(rows[0].completedAt).toBe(rows[0].checkedAt);
			expect(JSON.stringify(rows)).not.toContain(solo.email);
			expect(JSON.stringify(rows)).not.toContain(createHash('sha256').update(solo.email).digest('hex'));
			expect(await vendorLines()).toEqual([...ERASED_AT_BOTH_VENDORS, ...CHECKED_AT_BOTH_VENDORS]);
		},
	);

	it.runIf(tablesCanBeCreated)(
		'a request sent with an extension: the checks count from the extended date, and the row keeps it',
		async () => {
			await publish(verifyExampleWorkflow.id, { method: 'OPTIONS', path: `/webhook/${VERIFY_EXAMPLE_PATH}` });
			const { solo } = fixtureIds.blueshift;
			// GDPR: due 2026-11-30; extended (the person told on 20 November, a date-time read as its day), 2027-01-31.
			const requestId = await callExample({
				email: solo.email,
				receivedAt: '2026-10-31T10:00:00Z',
				extensionReason: 'Data held in several archived systems',
				extensionToldOn: '2026-11-20T15:00:00Z',
			});

			const rows = await rowOfSuccessfulRun(requestId);

			const today = new Date().toISOString().slice(0, 10);
			expect(rows).toEqual([
				expect.objectContaining({
					receivedAt: '2026-10-31T10:00:00.000Z',
					dueBy: '2027-01-31',
					originalDueBy: '2026-11-30',
					extensionReason: 'Data held in several archived systems',
					extensionToldOn: '2026-11-20',
					customerGauge: 'completed',
					blueshift: 'completed',
					completed: true,
					overdue: false,
					email: null,
					// Completed now: after 2026-11-30 (this session runs in December 2026), within the extended date.
					completedLate: today > '2027-01-31',
				}),
			]);
			expect(today > '2026-11-30').toBe(true);
			expect(await vendorLines()).toEqual([...ERASED_AT_BOTH_VENDORS, ...CHECKED_AT_BOTH_VENDORS]);
		},
	);

	it.runIf(tablesCanBeCreated)(
		'an extension the checks cannot apply: the person is erased anyway, the checks fail with the field named, the row keeps the first due date and the extension as sent',
		async () => {
			await publish(verifyExampleWorkflow.id, { method: 'OPTIONS', path: `/webhook/${VERIFY_EXAMPLE_PATH}` });
			const { solo } = fixtureIds.blueshift;
			const before = await failedExecution();
			// Told on 1 December, after the first due date (2026-11-30): too late for an extension.
			const requestId = await callExample({
				email: solo.email,
				receivedAt: '2026-10-31T10:00:00Z',
				extensionReason: 'Told too late',
				extensionToldOn: '2026-12-01',
			});

			const rows = await until('the row in the erasure log', () => rowsOf(requestId));

			expect(rows).toEqual([
				expect.objectContaining({
					receivedAt: '2026-10-31T10:00:00.000Z',
					dueBy: '2026-11-30',
					originalDueBy: '2026-11-30',
					extensionReason: 'Told too late',
					extensionToldOn: '2026-12-01',
					customerGauge: 'failed',
					blueshift: 'failed',
					completed: false,
					completedLate: false,
					// Open: the address stays for the follow-up, which fails the same way until the row is corrected.
					email: solo.email,
				}),
			]);
			// Erased; neither check reached a vendor.
			expect(await vendorLines()).toEqual(ERASED_AT_BOTH_VENDORS);
			// The failed checks are alerted: the execution fails after the row is written, with the reason in it.
			const failed = await until('the failed execution', async () => {
				const found = await failedExecution();
				return found && found.id !== before?.id ? found : undefined;
			});
			const { data } = await rest<{ data: string }>('GET', `/executions/${failed.id}`);
			const stored = JSON.stringify(data);
			expect(stored).toContain(
				'2 erasure steps need a hand: CustomerGauge verify failed (1), Blueshift verify failed (1).',
			);
			expect(stored).toContain('Not sent: Person Told of Extension On is after the original due date 2026-11-30');
		},
	);
});

describe('the nodes as tools of a published MCP Server Trigger, called by an MCP client (no language model)', () => {
	const triggerVersion = newestMcpTriggerVersion();
	// Version 2 of the trigger serves Streamable HTTP on its path; versions 1 and 1.1 only SSE.
	const transport = triggerVersion >= 2 ? 'streamableHttp' : 'sse';
	const toolName = (nodeName: string) => nodeName.replaceAll(' ', '_');
	const { grace } = fixtureIds.bloomreach;
	const { maria } = fixtureIds.customerGauge;
	const { solo } = fixtureIds.blueshift;
	const ALLOW = 'Allow Erasure When Run by an AI Agent';
	let mcp: McpSession | undefined;

	beforeAll(async () => {
		await publish(mcpToolsWorkflow().id, {
			method: 'OPTIONS',
			path: `/mcp/${MCP_PATH}${transport === 'sse' ? '/sse' : ''}`,
		});
		mcp = await connectMcp(`${n8n!.url}/mcp/${MCP_PATH}`, transport);
	});
	afterAll(() => mcp?.close());

	const call = async (nodeName: string, email: string) => {
		const { text, isError } = await mcp!.call(toolName(nodeName), { email });
		expect(isError, text).toBe(false);
		return JSON.parse(text) as IDataObject[];
	};

	it(`lists every node as a tool (MCP Server Trigger ${triggerVersion}, ${transport}); an erasure's description says it is irreversible and refused unless allowed`, async () => {
		const { tools } = await mcp!.client.listTools();

		expect(tools.map((tool) => tool.name).sort()).toEqual(exposedTools.map((tool) => toolName(tool.name)).sort());
		for (const tool of tools) {
			const { erases } = exposedTools.find((exposed) => toolName(exposed.name) === tool.name)!;
			expect(tool.description, tool.name).toMatch(
				erases
					? new RegExp(`IRREVERSIBLE.*Refused when called by an AI agent or MCP client.*"${ALLOW}"`)
					: /Read-only: changes nothing\.$/,
			);
			expect(tool.inputSchema, tool.name).toMatchObject({
				type: 'object',
				properties: { email: { type: 'string', description: 'The email address of the person' } },
				required: ['email'],
			});
		}
	});

	const refused = (vendor: string, operation: string, type: string, masked: string) => ({
		status: 'failed',
		message: `Refused: ${vendor} ${operation} is an irreversible erasure and this node ran as an AI agent's tool. Nothing was sent. To allow it, turn on the node option "${ALLOW}", only behind a human review step.`,
		vendor,
		operation,
		identifiers: [{ type, value: masked }],
		identifierForm: 'masked',
		receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		dueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
		originalDueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
		extension: null,
		dueByRule: expect.stringMatching(/^GDPR Art\. 12\(3\)/),
		vendorReference: null,
		httpStatus: null,
		attempts: 0,
		requestedAt: null,
		failure: {
			reason: 'refused_for_ai_tool',
			description: `A language model filled in this tool call, and an erasure cannot be undone: it runs as a tool only when "${ALLOW}" is on.`,
		},
	});

	it.each([
		[
			'Bloomreach Anonymize in Bulk',
			grace.registered,
			refused('Bloomreach Engagement', 'anonymizeBulk', 'registered', 'g***@example.com'),
		],
		['CustomerGauge Anonymize', maria.email, refused('CustomerGauge', 'anonymize', 'email', 'm***@example.com')],
		['Blueshift Forget', solo.email, refused('Blueshift', 'forget', 'email', 's***@example.com')],
	])('%s: answers with a refusal and sends nothing', async (nodeName, email, receipt) => {
		expect(await call(nodeName, email)).toEqual([receipt]);
		expect(await simulator.requests()).toEqual([]);
		const state = await simulator.state();
		expect([state.bloomreach.anonymizations, state.customerGauge.anonymizations, state.blueshift.jobs]).toEqual([
			[],
			[],
			[],
		]);
	});

	it('Blueshift Search runs: the search reaches the vendor', async () => {
		const [receipt] = await call('Blueshift Search', solo.email);

		expect(receipt).toMatchObject({ status: 'found', operation: 'search', profileCount: 1, httpStatus: 200 });
		expect(requestLines(await simulator.requests())).toEqual(['GET blueshift search 200']);
	});

	it('CustomerGauge Preview runs: the preview reaches the vendor', async () => {
		const [receipt] = await call('CustomerGauge Preview', maria.email);

		expect(receipt).toMatchObject({ status: 'found', operation: 'preview', httpStatus: 200 });
		expect(requestLines(await simulator.requests())).toEqual(['GET customerGauge preview 200']);
	});

	it('Bloomreach Verify Erasure runs: it answers unverifiable, and sends nothing by design', async () => {
		const [receipt] = await call('Bloomreach Verify Erasure', grace.registered);

		expect(receipt).toMatchObject({
			status: 'unverifiable',
			operation: 'verify',
			identifiers: [{ type: 'registered', value: 'g***@example.com' }],
		});
		expect(await simulator.requests()).toEqual([]);
	});

	it(`Blueshift Forget with "${ALLOW}" on: the erasure is sent`, async () => {
		const [receipt] = await call('Blueshift Forget Allowed', solo.email);

		expect(receipt).toMatchObject({ status: 'accepted', operation: 'forget', httpStatus: 200, attempts: 1 });
		expect(requestLines(await simulator.requests())).toEqual(['POST blueshift forget 200']);
		const { blueshift } = await simulator.state();
		expect(blueshift.jobs).toEqual([
			expect.objectContaining({ endpoint: 'forget', identifiers: { email: solo.email } }),
		]);
	});
});

describe("the tool variants n8n generates, and n8n's human review for tools (the node types the editor loads)", () => {
	interface Described {
		name: string;
		displayName: string;
		version: number | number[];
		inputs: unknown;
		outputs: unknown;
		properties: Array<{ name: string }>;
		codex?: { categories?: string[]; alias?: string[] };
	}
	let types: Described[] = [];
	const typeNamed = (name: string, version: number) =>
		types.find((type) => type.name === name && [type.version].flat().includes(version));
	// n8n 2.x turns every node with a "send and wait for response" operation into a review node.
	const hasHumanReview = Number(selectedRuntime().n8nVersion.split('.')[0]) >= 2;

	beforeAll(async () => {
		// Every node type, the generated tool and review variants included, as the editor loads them.
		const response = await fetch(`${n8n!.url}/types/nodes.json`, { headers: { cookie: rest.cookie } });
		expect(response.status).toBe(200);
		types = (await response.json()) as Described[];
	});

	it("the package's tool variants are ai_tool nodes with the opt-in and the package's own tool description, not n8n's", () => {
		for (const [name, descriptions] of [
			['bloomreachEngagementTool', 3],
			['customerGaugeTool', 3],
			['blueshiftTool', 4],
		] as const) {
			const tool = typeNamed(`n8n-nodes-erasure.${name}`, 1);
			expect(tool, name).toBeDefined();
			expect([tool!.inputs, tool!.outputs], name).toEqual([[], ['ai_tool']]);
			const names = tool!.properties.map((property) => property.name);
			expect(names, name).toContain('allowErasureAsAiTool');
			expect(
				names.filter((property) => property === 'toolDescription'),
				name,
			).toHaveLength(descriptions);
			expect(names, name).not.toContain('descriptionType');
		}
	});

	it.each(['erasure', 'gdpr', 'delete'])(
		'the AI tools picker finds the three tools for "%s" (the editor\'s search rule)',
		(term) => {
			const tools = types
				.filter((type) => type.codex?.categories?.includes('AI') && pickerFinds(term, type))
				.map((type) => type.name);
			expect(tools).toEqual(
				expect.arrayContaining(
					['bloomreachEngagementTool', 'customerGaugeTool', 'blueshiftTool'].map((name) => `n8n-nodes-erasure.${name}`),
				),
			);
		},
	);

	it.runIf(hasHumanReview)(
		'has review nodes (e.g. Send Email, Slack) that take any tool and connect only to an AI Agent',
		() => {
			const review = types.filter((type) => type.name.endsWith('HitlTool')).map((type) => type.name);
			expect(review).toEqual(
				expect.arrayContaining(['n8n-nodes-base.emailSendHitlTool', 'n8n-nodes-base.slackHitlTool']),
			);
			for (const [name, version] of [
				['n8n-nodes-base.emailSendHitlTool', 2.1],
				['n8n-nodes-base.slackHitlTool', 2.4],
			] as const) {
				expect(typeNamed(name, version), name).toMatchObject({
					inputs: [{ displayName: 'Tool', type: 'ai_tool', required: true }],
					outputs: [
						{
							displayName: 'Human review',
							type: 'ai_tool',
							filter: { nodes: ['@n8n/n8n-nodes-langchain.agent', '@n8n/n8n-nodes-langchain.agentTool'] },
						},
					],
				});
			}
		},
	);

	it.runIf(!hasHumanReview)('n8n 1.x has no review node for tools', () => {
		expect(types.filter((type) => type.name.endsWith('HitlTool'))).toEqual([]);
	});
});
