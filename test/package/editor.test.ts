/**
 * What a non-developer sees in the editor: the node descriptions as n8n renders them (subtitles,
 * option names and order, notices, options per operation, credential help, documentation links).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Expression, type INodeProperties, type INodeType, type INodePropertyOptions, Workflow } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { BloomreachEngagementApi } from '../../credentials/BloomreachEngagementApi.credentials';
import { CustomerGaugeOAuth2Api } from '../../credentials/CustomerGaugeOAuth2Api.credentials';
import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { credentialDialogFields, type CredentialTypeData, pickerFinds, toolAsListed } from '../harness/editorViews';
import { runNode } from '../harness/engine';

const nodes: Array<[string, INodeType]> = [
	['BloomreachEngagement', new BloomreachEngagement()],
	['CustomerGauge', new CustomerGauge()],
	['Blueshift', new Blueshift()],
];
const READ_ONLY = ['preview', 'search'];
const CHANGES_NOTHING = [...READ_ONLY, 'verify'];

/** "(read-only)" after what reads; Bloomreach's verification sends nothing at all. */
function subtitleSuffix(folder: string, operation: string): string {
	if (operation === 'verify') return folder === 'BloomreachEngagement' ? ' (sends nothing)' : ' (read-only)';
	return READ_ONLY.includes(operation) ? ' (read-only)' : '';
}

const operationsOf = (node: INodeType) =>
	node.description.properties.find((property) => property.name === 'operation')!.options as INodePropertyOptions[];

const optionsFor = (node: INodeType, operation: string) =>
	node.description.properties.find(
		(property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes(operation),
	)!.options as INodeProperties[];

/** Evaluates the node's subtitle expression for one operation, as the editor's canvas does. */
function subtitleFor(node: INodeType, operation: string): string {
	const workflow = new Workflow({
		nodes: [{ id: '1', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: { operation } }],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) },
	});
	const expression = new Expression(workflow);
	return String(
		expression.getSimpleParameterValue(workflow.getNode('Node')!, node.description.subtitle!, 'manual', {}),
	);
}

describe.each(nodes)('%s in the editor', (folder, node) => {
	it("shows each operation's display name as the subtitle", () => {
		for (const operation of operationsOf(node)) {
			expect(subtitleFor(node, String(operation.value))).toBe(
				operation.name.replace(' (Recommended for Erasure Requests)', '') +
					subtitleSuffix(folder, String(operation.value)),
			);
		}
	});

	it('shows the irreversibility notice and the Dry Run option only where something is erased', () => {
		const notice = node.description.properties.find((property) => property.name === 'irreversibleNotice')!;
		for (const operation of operationsOf(node).map(({ value }) => String(value))) {
			const changesNothing = CHANGES_NOTHING.includes(operation);
			const shownFor = notice.displayOptions?.show?.operation as string[] | undefined;
			expect(shownFor === undefined || shownFor.includes(operation), operation).toBe(!changesNothing);
			const names = optionsFor(node, operation).map((option) => option.name);
			expect(names.includes('dryRun'), operation).toBe(!changesNothing);
			expect(names.includes('includeRecords'), operation).toBe(READ_ONLY.includes(operation));
			expect(names, operation).toEqual(expect.arrayContaining(['receivedAt', 'regulation', 'daysToRespond']));
		}
	});

	it('writes milliseconds as such, shows whole numbers without decimals, and says the defaults suit the vendor', () => {
		for (const operation of operationsOf(node).map(({ value }) => String(value))) {
			for (const option of optionsFor(node, operation)) {
				expect(option.displayName, option.name).not.toMatch(/\(Ms\)/);
				expect(option.typeOptions?.numberPrecision, option.name).toBeUndefined();
			}
			const pacing = optionsFor(node, operation).filter((option) =>
				['maxRequestsPerSecond', 'maxConcurrentRequests', 'maxAttempts', 'customersPerRequest'].includes(option.name),
			);
			for (const option of pacing)
				expect(option.description, option.name).toMatch(/The default(, the vendor's maximum,| suits)/);
		}
	});

	it("links its documentation to the package's own page for the node first, a page without an anchor", () => {
		const codex = JSON.parse(
			readFileSync(path.join(__dirname, '..', '..', 'nodes', folder, `${folder}.node.json`), 'utf8'),
		) as {
			resources: { primaryDocumentation: Array<{ url: string }> };
		};
		expect(codex.resources.primaryDocumentation[0].url).toMatch(
			/^https:\/\/github\.com\/n8n-nodes-erasure\/n8n-nodes-erasure\/blob\/main\/docs\/nodes\/[a-z-]+\.md$/,
		);
	});

	it('answers a "Custom API Call" run with the way to make one, sending nothing', async () => {
		const result = await runNode({
			node,
			parameters: { operation: '__CUSTOM_API_CALL__' },
			credentials: {},
			items: [{}],
		});
		expect(result.error?.message).toBe('Custom API Call is made with an HTTP Request node, not with this node');
		expect(result.error?.description).toMatch(
			/^Nothing was sent\. Add an HTTP Request node, set Authentication to "Predefined Credential Type"/,
		);
	});
});

describe('Blueshift operations', () => {
	it('lists Forget first, as the recommended operation for erasure requests', () => {
		expect(operationsOf(new Blueshift()).map((operation) => operation.name)).toEqual([
			'Forget (Recommended for Erasure Requests)',
			'Delete',
			'Search',
			'Verify Erasure',
		]);
	});
});

describe('Bloomreach Engagement credential dialog', () => {
	it('shows, as visible text, the permission the key needs and that the Test button cannot check it', () => {
		const notice = new BloomreachEngagementApi().properties.find((property) => property.type === 'notice')!;
		expect(notice.displayName).toContain('GDPR > Anonymize customer');
		expect(notice.displayName).toContain('no read-only call can prove that permission');
	});
});

/**
 * n8n's generic OAuth2 credential (n8n-nodes-base `oAuth2Api`, as in n8n 2.8.4), which the
 * CustomerGauge OAuth2 credential extends: each field with what shows it, and the domain restriction
 * n8n adds to every credential that authenticates. The e2e suite checks the same against a real n8n.
 */
const showUnlessDynamicRegistration = { useDynamicClientRegistration: [false] };
const N8N_DOMAIN_FIELDS: INodeProperties[] = [
	{
		displayName: 'Allowed HTTP Request Domains',
		name: 'allowedHttpRequestDomains',
		type: 'options',
		options: ['all', 'domains', 'none'].map((value) => ({ name: value, value })),
		default: 'all',
	},
	{
		displayName: 'Allowed Domains',
		name: 'allowedDomains',
		type: 'string',
		default: '',
		displayOptions: { show: { allowedHttpRequestDomains: ['domains'] } },
	},
];
const N8N_OAUTH2_API: CredentialTypeData = {
	name: 'oAuth2Api',
	properties: [
		{
			displayName: 'Use Dynamic Client Registration',
			name: 'useDynamicClientRegistration',
			type: 'hidden',
			default: false,
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: ['authorizationCode', 'clientCredentials', 'pkce'].map((value) => ({ name: value, value })),
			default: 'authorizationCode',
			displayOptions: { show: showUnlessDynamicRegistration },
		},
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			default: '',
			displayOptions: { show: { useDynamicClientRegistration: [true] } },
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			default: '',
			displayOptions: { show: { grantType: ['authorizationCode', 'pkce'], ...showUnlessDynamicRegistration } },
		},
		...['accessTokenUrl', 'clientId', 'clientSecret', 'scope'].map((name): INodeProperties => ({
			displayName: name,
			name,
			type: 'string',
			default: '',
			displayOptions: { show: showUnlessDynamicRegistration },
		})),
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'string',
			default: '',
			displayOptions: { show: { grantType: ['authorizationCode', 'pkce'], ...showUnlessDynamicRegistration } },
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: ['body', 'header'].map((value) => ({ name: value, value })),
			default: 'header',
			displayOptions: { show: showUnlessDynamicRegistration },
		},
		{
			displayName: 'Send Additional Body Properties',
			name: 'sendAdditionalBodyProperties',
			type: 'boolean',
			default: false,
			displayOptions: {
				show: { grantType: ['clientCredentials'], authentication: ['body'], ...showUnlessDynamicRegistration },
			},
		},
		{
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'json',
			default: '',
			displayOptions: {
				show: {
					grantType: ['clientCredentials'],
					authentication: ['body'],
					sendAdditionalBodyProperties: [true],
					...showUnlessDynamicRegistration,
				},
			},
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSSLIssues',
			type: 'boolean',
			default: false,
			doNotInherit: true,
		},
		...N8N_DOMAIN_FIELDS,
	],
};

describe('CustomerGauge OAuth2 credential dialog', () => {
	const credential = new CustomerGaugeOAuth2Api();
	// As n8n serves it to the editor: with the domain restriction it adds to every such credential.
	const types = [
		N8N_OAUTH2_API,
		{
			name: credential.name,
			extends: credential.extends,
			properties: [...credential.properties, ...N8N_DOMAIN_FIELDS],
		},
	];

	it("shows the client ID and secret, n8n's domain restriction and the region; a custom region adds its two URLs", () => {
		expect(credentialDialogFields(types, credential.name)).toEqual([
			'clientId',
			'clientSecret',
			'allowedHttpRequestDomains',
			'region',
		]);
		expect(credentialDialogFields(types, credential.name, { region: 'custom' })).toEqual([
			'clientId',
			'clientSecret',
			'allowedHttpRequestDomains',
			'region',
			'customBaseUrl',
			'customTokenUrl',
		]);
	});

	it("hides n8n's other OAuth2 fields at the values of the token request it has always sent", () => {
		const hidden = Object.fromEntries(
			credential.properties
				.filter((property) => property.type === 'hidden')
				.map((property) => [property.name, property.default]),
		);
		expect(hidden).toEqual({
			grantType: 'clientCredentials',
			accessTokenUrl: expect.stringMatching(/^=\{\{ \$self\["region"\] === "custom"/),
			authUrl: '',
			scope: '',
			authQueryParameters: '',
			authentication: 'body',
			sendAdditionalBodyProperties: false,
			additionalBodyProperties: '',
			useDynamicClientRegistration: false,
			serverUrl: '',
		});
	});
});

describe('the AI tools picker', () => {
	const codexOf = (folder: string) =>
		JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'nodes', folder, `${folder}.node.json`), 'utf8')) as {
			alias: string[];
		};

	it.each(['erasure', 'gdpr', 'delete'])('finds all three tools for "%s", with or without their aliases', (term) => {
		for (const [folder, node] of nodes) {
			for (const keepsAliases of [false, true]) {
				expect(
					pickerFinds(term, toolAsListed(node.description, codexOf(folder), { keepsAliases })),
					`${folder} ${keepsAliases}`,
				).toBe(true);
			}
			expect(
				pickerFinds(term, { displayName: node.description.displayName, codex: codexOf(folder) }),
				`${folder} node`,
			).toBe(true);
		}
	});

	it('lists each tool under a name that says what it is for; the node keeps its own name', () => {
		const listed = nodes.map(
			([folder, node]) => toolAsListed(node.description, codexOf(folder), { keepsAliases: false }).displayName,
		);
		expect(listed).toEqual([
			'Bloomreach Engagement GDPR Erasure / CCPA Delete Tool',
			'CustomerGauge GDPR Erasure / CCPA Delete Tool',
			'Blueshift GDPR Erasure / CCPA Delete Tool',
		]);
		expect(nodes.map(([, node]) => node.description.displayName)).toEqual([
			'Bloomreach Engagement',
			'CustomerGauge',
			'Blueshift',
		]);
		// Under n8n's own tool name ("Blueshift Tool") and without its aliases, nothing is found.
		const [, blueshift] = nodes[2];
		const unnamed = toolAsListed({ ...blueshift.description, usableAsTool: true }, codexOf('Blueshift'), {
			keepsAliases: false,
		});
		expect(pickerFinds('erasure', unnamed)).toBe(false);
	});
});

interface ExampleNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: { content?: string; width?: number; height?: number };
}

const examplesDir = path.join(__dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir)
	.filter((file) => file.endsWith('.json'))
	.map(
		(file) =>
			[
				file,
				(JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as { nodes: ExampleNode[] }).nodes,
			] as const,
	);
const isSticky = (node: ExampleNode) => node.type === 'n8n-nodes-base.stickyNote';

/**
 * How tall a sticky note's text is on the canvas, estimated on the safe side: 22 px a line at n8n's
 * sticky font, 8 px a character (wider than the measured average), a heading a line and a half, a
 * blank line half a line. Measured in Chromium on n8n 2.8.4, the form example's text takes 369 px;
 * this says 420.
 */
function stickyTextHeight(content: string, width: number): number {
	const charactersPerLine = Math.floor((width - 24) / 8);
	const lines = content.split('\n').reduce((sum, line) => {
		const text = line.replace(/\*\*|`/g, '');
		if (text === '') return sum + 0.5;
		if (text.startsWith('#')) return sum + 1.6;
		return sum + Math.ceil(text.length / charactersPerLine);
	}, 0);
	return lines * 22;
}

describe('the sticky notes of the examples', () => {
	it.each(examples)('%s: each note is tall enough for its whole text', (_file, exampleNodes) => {
		const notes = exampleNodes.filter(isSticky);
		expect(notes.length).toBeGreaterThan(0);
		for (const { name, parameters } of notes) {
			expect(stickyTextHeight(parameters.content!, parameters.width!), name).toBeLessThanOrEqual(parameters.height!);
		}
	});

	it('the form example: its note says first that erasure cannot be undone, and no node covers it', () => {
		const exampleNodes = examples.find(([file]) => file === 'erase-my-data-form.json')![1];
		const note = exampleNodes.find(isSticky)!;
		expect(note.parameters.content!.split('\n').slice(0, 2).join(' ')).toContain('**Erasure cannot be undone.**');
		const [x, y] = note.position;
		const { width, height } = note.parameters as { width: number; height: number };
		// A node's box on the canvas is 100 by 100 px from its position.
		const covering = exampleNodes
			.filter((node) => !isSticky(node))
			.filter(({ position: [nx, ny] }) => nx < x + width && nx + 100 > x && ny < y + height && ny + 100 > y);
		expect(covering.map((node) => node.name)).toEqual([]);
	});
});

describe('receipts in the table view', () => {
	it('start with status and message', async () => {
		const result = await runNode({
			node: new CustomerGauge(),
			parameters: {
				resource: 'contact',
				authentication: 'apiKey',
				operation: 'anonymize',
				identifyBy: 'email',
				email: 'not an email',
				options: {},
			},
			credentials: { customerGaugeApi: { region: 'eu', customBaseUrl: '', apiKey: 'editor-test-key' } },
			items: [{}],
			onError: 'continueRegularOutput',
		});
		expect(Object.keys(result.main[0].json).slice(0, 2)).toEqual(['status', 'message']);
	});
});
