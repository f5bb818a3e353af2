import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, INode, INodeParameters } from 'n8n-workflow';

import {
	selectedRuntime,
	simulatorCredentialRefs,
	type SimulatorCredentialType,
} from '../../../scripts/lib/n8n-runtime.mjs';
import type { WorkflowFile } from './laneWorkflow';

export const MCP_PATH = 'e2e-erasure-tools';
const TRIGGER = 'MCP Server Trigger';

/** Who the model asks about: every tool reads the person's email with `$fromAI`, as an agent's tool would. */
const email = "={{ $fromAI('email', 'The email address of the person', 'string') }}";

interface ExposedTool {
	/** The node's name; n8n names the tool after it (spaces become underscores). */
	name: string;
	type: 'bloomreachEngagement' | 'customerGauge' | 'blueshift';
	credentialType: SimulatorCredentialType;
	/** An irreversible erasure (refused as a tool unless allowed), or read-only. */
	erases: boolean;
	parameters: INodeParameters;
}

/** The nodes exposed as tools: at least one erasure and one read-only operation per node, and one erasure allowed. */
export const exposedTools: ExposedTool[] = [
	{
		name: 'Bloomreach Anonymize in Bulk',
		erases: true,
		type: 'bloomreachEngagement',
		credentialType: 'bloomreachEngagementApi',
		parameters: {
			resource: 'customer',
			operation: 'anonymizeBulk',
			identifyBy: 'customerId',
			customerIdName: 'registered',
			customerIdValue: email,
			options: {},
		},
	},
	{
		name: 'Bloomreach Verify Erasure',
		erases: false,
		type: 'bloomreachEngagement',
		credentialType: 'bloomreachEngagementApi',
		parameters: {
			resource: 'customer',
			operation: 'verify',
			customerIds: { ids: [{ idName: 'registered', idValue: email }] },
			options: {},
		},
	},
	{
		name: 'CustomerGauge Anonymize',
		erases: true,
		type: 'customerGauge',
		credentialType: 'customerGaugeApi',
		parameters: {
			resource: 'contact',
			authentication: 'apiKey',
			operation: 'anonymize',
			identifyBy: 'email',
			email,
			options: {},
		},
	},
	{
		name: 'CustomerGauge Preview',
		erases: false,
		type: 'customerGauge',
		credentialType: 'customerGaugeApi',
		parameters: {
			resource: 'contact',
			authentication: 'apiKey',
			operation: 'preview',
			identifyBy: 'email',
			email,
			options: {},
		},
	},
	{
		name: 'Blueshift Forget',
		erases: true,
		type: 'blueshift',
		credentialType: 'blueshiftApi',
		parameters: { resource: 'customer', operation: 'forget', email, options: {} },
	},
	{
		name: 'Blueshift Search',
		erases: false,
		type: 'blueshift',
		credentialType: 'blueshiftApi',
		parameters: { resource: 'customer', operation: 'search', email, options: {} },
	},
	{
		name: 'Blueshift Forget Allowed',
		erases: true,
		type: 'blueshift',
		credentialType: 'blueshiftApi',
		parameters: { resource: 'customer', operation: 'forget', email, allowErasureAsAiTool: true, options: {} },
	},
];

/** The newest version of the MCP Server Trigger in the n8n under test, from its list of node types. */
export function newestMcpTriggerVersion(): number {
	const file = path.join(selectedRuntime().modulesDir, '@n8n', 'n8n-nodes-langchain', 'dist', 'types', 'nodes.json');
	const types = JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; version: number | number[] }>;
	const trigger = types.find((type) => type.name === 'mcpTrigger');
	if (!trigger) throw new Error(`No MCP Server Trigger in ${file}`);
	return Math.max(...[trigger.version].flat());
}

/**
 * An MCP Server Trigger, at the newest version the n8n under test has, with the package's nodes as
 * its tools (their generated `…Tool` types), for an MCP client to list and call with no language
 * model. Built once n8n is installed.
 */
export function mcpToolsWorkflow(triggerVersion = newestMcpTriggerVersion()): WorkflowFile {
	const id = 'e2eMcpErasureTools';
	const nodes: INode[] = [
		{
			id: `${id}-trigger`,
			name: TRIGGER,
			type: '@n8n/n8n-nodes-langchain.mcpTrigger',
			typeVersion: triggerVersion,
			position: [0, 0],
			webhookId: 'a1b2c3d4-0005-4000-8000-0000000e2e05',
			parameters: { path: MCP_PATH },
		},
	];
	const connections: IConnections = {};
	exposedTools.forEach((tool, index) => {
		const node: INode = {
			id: `${id}-tool-${index}`,
			name: tool.name,
			type: `n8n-nodes-erasure.${tool.type}Tool`,
			typeVersion: 1,
			position: [-300 + index * 160, 240],
			parameters: tool.parameters,
			credentials: { [tool.credentialType]: simulatorCredentialRefs[tool.credentialType] },
		};
		nodes.push(node);
		connections[tool.name] = { ai_tool: [[{ node: TRIGGER, type: 'ai_tool', index: 0 }]] };
	});
	return {
		id,
		name: 'e2e: the erasure nodes as tools of an MCP Server Trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
		pinData: {},
	};
}
