/**
 * Runs node types inside n8n-core's real WorkflowExecute: a source node emits the test items, the
 * node under test runs with n8n's own parameter, expression, credential and HTTP machinery, and
 * the run's output and error are read back from the execution data.
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { CredentialTestContext, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Expression,
	NodeConnectionTypes,
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type EngineRequest,
	type EngineResponse,
	type ICredentialType,
	type ICredentials,
	type IDataObject,
	type IConnections,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { BloomreachEngagementApi } from '../../credentials/BloomreachEngagementApi.credentials';
import { BlueshiftApi } from '../../credentials/BlueshiftApi.credentials';
import { CustomerGaugeApi } from '../../credentials/CustomerGaugeApi.credentials';
import { CustomerGaugeOAuth2Api } from '../../credentials/CustomerGaugeOAuth2Api.credentials';
import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';

export type OnError = 'continueErrorOutput' | 'continueRegularOutput' | 'stopWorkflow';

export interface LogEntry {
	level: string;
	message: string;
	metadata?: unknown;
}

export interface RunResult {
	/** Items of the node's first output. */
	main: INodeExecutionData[];
	/** Items routed to the error output (only with onError 'continueErrorOutput'). */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the node, as the execution stored it (a plain copy). */
	error?: { name: string; message: string; description?: string | null; httpCode?: string | null } & IDataObject;
	/** Everything n8n and the node logged while running. */
	logs: LogEntry[];
	/** OAuth2 tokens n8n fetched and stored with their credential during the run. */
	savedTokens: SavedTokens;
	/** When the node under test started (epoch ms) and how long it ran, as n8n records them. */
	nodeRun: { startTime: number; executionTime: number } | undefined;
	/** As a tool: what the agent saw of each call. */
	toolCalls: ToolCall[];
	/** As a tool: the error that stopped the agent, if any. */
	agentError?: string;
}

/** One call of the node as a tool, as the agent saw it. */
export interface ToolCall {
	/** The tool's name and description, as a model reads them, and the arguments its schema asks for. */
	tool: { name: string; description: string; arguments: string[] };
	/** The tool's answer (n8n sends the model the JSON of the items of its first output). */
	answer: unknown;
}

const credentialTypes = new Map<string, ICredentialType>(
	[new BloomreachEngagementApi(), new CustomerGaugeApi(), new CustomerGaugeOAuth2Api(), new BlueshiftApi()].map(
		(type) => [type.name, type],
	),
);

/** A credential type the package does not ship, for a test's own node (see fourthVendor.test.ts). */
export function registerCredentialType(type: ICredentialType): void {
	credentialTypes.set(type.name, type);
}

/** Every OAuth2 token n8n stored for a credential during a run, in order (the harness's database). */
export type SavedTokens = Record<string, IDataObject[]>;

/**
 * Applies credentials the way n8n's CLI CredentialsHelper does: a generic `authenticate`, the
 * credential type's defaults with its hidden expressions resolved against the credential itself
 * (`$self`), parent types (`extends`), and OAuth2 tokens kept with the credential between requests.
 */
class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
		private readonly savedTokens: SavedTokens,
	) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = credentialTypeNamed(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			requestOptions.headers ??= {};
			for (const [target, entries] of Object.entries(authenticate.properties)) {
				const request = requestOptions as unknown as Record<string, Record<string, string>>;
				request[target] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					request[target][resolve(key, credentials, workflow, node)] = resolve(value, credentials, workflow, node);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	/** Asked by newer n8n-core (2.40) before a node uses a credential; every type here is usable. */
	isCredentialUsableByNode() {
		return true;
	}

	getParentTypes(type: string) {
		return credentialTypes.get(type)?.extends ?? [];
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The harness serves decrypted credentials only');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return withDefaults(type, data);
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData(_nodeCredentials: unknown, type: string, data: ICredentialDataDecryptedObject) {
		const token = data.oauthTokenData as IDataObject;
		this.data[type] = { ...this.data[type], oauthTokenData: token };
		(this.savedTokens[type] ??= []).push(token);
	}

	getCredentialsProperties(type: string) {
		return credentialTypeNamed(type).properties;
	}
}

/**
 * The credential's own values, then its type's defaults, hidden expressions resolved with `$self`.
 * Types the package does not define (the HTTP Request node's generic ones, in the benchmark) are
 * served as given.
 */
function withDefaults(type: string, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const values: ICredentialDataDecryptedObject = { ...data };
	const credentialType = credentialTypes.get(type);
	if (!credentialType) return values;
	for (const property of credentialType.properties) {
		if (!(property.name in values) && property.type !== 'notice') values[property.name] = property.default as string;
	}
	const expressions = Object.entries(values).filter(([, value]) => typeof value === 'string' && value.startsWith('='));
	if (expressions.length === 0) return values;
	const expression = new Expression(
		new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: nodeTypesOf({}) }),
	);
	for (const [name, value] of expressions) {
		values[name] = expression.getParameterValue(
			value as string,
			null,
			0,
			0,
			'',
			[],
			'internal',
			{},
			undefined,
			false,
			values,
		) as string;
	}
	return values;
}

function credentialTypeNamed(name: string) {
	const type = credentialTypes.get(name);
	if (!type) throw new Error(`Unknown credential type ${name}`);
	return type;
}

function resolve(value: string, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode) {
	if (!value.startsWith('=')) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	return resolved ? String(resolved) : '';
}

function captureLogs() {
	const logs: LogEntry[] = [];
	const record = (level: string) => (message: string, metadata?: unknown) => logs.push({ level, message, metadata });
	const logger = {
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
		scoped: () => logger,
	};
	LoggerProxy.init(logger);
	Container.set(Logger, logger as unknown as Logger);
	return logs;
}

const SOURCE_TYPE = 'harness.items';

/** Stands in for a trigger: emits the test's items, as a Form Trigger or Webhook would. */
function sourceNodeType(items: Array<Record<string, unknown>>): INodeType {
	return {
		description: {
			displayName: 'Items',
			name: SOURCE_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the test items',
			defaults: { name: 'Items' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			return [items.map((json) => ({ json: structuredClone(json) as IDataObject }))];
		},
	};
}

function nodeTypesOf(types: Record<string, INodeType | IVersionedNodeType>): INodeTypes {
	return {
		getByName: (name) => types[name],
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(types[name], version),
		getKnownTypes: () => ({}),
	};
}

function additionalDataFor(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	hooks: ExecutionLifecycleHooks,
	savedTokens: SavedTokens,
): IWorkflowExecuteAdditionalData {
	const unsupported = async () => {
		throw new Error('Not available in the test harness');
	};
	return {
		credentialsHelper: new HarnessCredentialsHelper(credentials, savedTokens),
		hooks,
		executeWorkflow: unsupported,
		getRunExecutionData: unsupported,
		startRunnerTask: unsupported,
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

interface RunWorkflowOptions {
	nodeType: INodeType | IVersionedNodeType;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items: Array<Record<string, unknown>>;
	onError?: OnError;
	/** Receives a function that cancels the execution, as the editor's Stop button does. */
	onStarted?: (cancel: () => void) => void;
	/** The workflow's time zone setting (n8n's default, America/New_York, when not given). */
	timezone?: string;
	/** Run the node as an AI agent's tool: the items become the agent's tool calls (their arguments). */
	asTool?: ToolCallPath;
}

/**
 * The two ways n8n runs a tool. `invoked`: the agent (AI Agent before version 3, the MCP Server
 * Trigger, the Tool Executor) gets the tool from n8n-core's `getInputConnectionData` and invokes it,
 * which runs the node's `execute` inside the agent's own run. `requested`: the agent (AI Agent 3 in
 * n8n 2.x) answers with an engine request, and the engine runs the tool node as a node of its own,
 * then runs the agent again with the tool's output.
 */
export type ToolCallPath = 'invoked' | 'requested';

async function runWorkflow({
	nodeType: baseType,
	parameters,
	credentials,
	items,
	onError,
	onStarted,
	timezone,
	asTool,
}: RunWorkflowOptions) {
	const logs = captureLogs();
	const nodeType = asTool ? aiToolVariant(baseType) : baseType;
	const typeName = nodeType.description.name;
	const version = 'nodeVersions' in nodeType ? nodeType.currentVersion : nodeType.description.version;
	const nodeUnderTest: INode = {
		id: 'node-under-test',
		name: 'Node Under Test',
		type: typeName,
		typeVersion: Array.isArray(version) ? Math.max(...version) : version,
		position: [200, 0],
		parameters,
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: `${type}-id`, name: `${type} account` }]),
		),
		...(onError ? { onError } : {}),
	};
	const source: INode = {
		id: 'source',
		name: 'Items',
		type: SOURCE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const agent: INode = {
		id: 'agent',
		name: AGENT_NAME,
		type: asTool === 'requested' ? REQUESTING_AGENT_TYPE : AGENT_TYPE,
		typeVersion: 1,
		position: [200, 200],
		parameters: {},
	};
	const nodes = asTool ? [source, agent, nodeUnderTest] : [source, nodeUnderTest];
	const connections: IConnections = asTool
		? {
				[source.name]: { main: [[{ node: agent.name, type: 'main', index: 0 }]] },
				[nodeUnderTest.name]: { ai_tool: [[{ node: agent.name, type: 'ai_tool', index: 0 }]] },
			}
		: { [source.name]: { main: [[{ node: nodeUnderTest.name, type: 'main', index: 0 }]] } };
	const workflow = new Workflow({
		id: 'harness',
		nodes,
		connections,
		active: false,
		nodeTypes: nodeTypesOf({
			[typeName]: nodeType,
			[SOURCE_TYPE]: sourceNodeType(items),
			[AGENT_TYPE]: agentNodeType,
			[REQUESTING_AGENT_TYPE]: requestingAgentNodeType,
		}),
		// n8n's current execution order (every workflow made since 1.0 has it): the engine runs requested tool nodes before the agent again.
		settings: { ...(timezone ? { timezone } : {}), ...(asTool ? { executionOrder: 'v1' as const } : {}) },
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'harness-execution', {
		id: 'harness',
		name: 'harness',
		active: false,
		isArchived: false,
		nodes,
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	});
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: source, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const savedTokens: SavedTokens = {};
	const execution = new WorkflowExecute(
		additionalDataFor(credentials, hooks, savedTokens),
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	onStarted?.(() => execution.cancel());
	await execution;
	const run = await finished;

	const task = run.data.resultData.runData[nodeUnderTest.name]?.[0];
	const outputs = task?.data?.main ?? [];
	const error = (task?.error ?? run.data.resultData.error) as RunResult['error'];
	const agentRun = run.data.resultData.runData[AGENT_NAME]?.at(-1);
	return {
		main: outputs[0] ?? [],
		errorOutput: outputs[1] ?? [],
		toolCalls: (agentRun?.data?.main?.[0] ?? []).map((item) => item.json as unknown as ToolCall),
		agentError: agentRun?.error ? agentRun.error.message : undefined,
		error: error ? { ...error, name: error.name, message: error.message } : undefined,
		logs,
		savedTokens,
		nodeRun: task && { startTime: task.startTime, executionTime: task.executionTime },
	} satisfies RunResult;
}

/**
 * The tool variant n8n's CLI generates for a node with `usableAsTool` (its `convertNodeToAiTool`,
 * as in n8n 2.8.4): its own type name ending in `Tool`, no main input, an `ai_tool` output, and a
 * tool description property unless the node has one. The node's own `execute` runs it.
 */
function aiToolVariant(nodeType: INodeType | IVersionedNodeType): INodeType {
	if ('nodeVersions' in nodeType) throw new Error('The harness converts unversioned node types only');
	const { description } = nodeType;
	if (!description.usableAsTool) throw new Error(`${description.name} is not usable as a tool`);
	const properties = [...description.properties];
	if (!properties.some((property) => property.name === 'toolDescription')) {
		throw new Error(`${description.name} has no tool description of its own (n8n would add one)`);
	}
	const toolDescription: INodeTypeDescription = {
		...description,
		name: `${description.name}Tool`,
		displayName: `${description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties,
	};
	delete toolDescription.usableAsTool;
	return Object.create(nodeType, { description: { value: toolDescription } }) as INodeType;
}

const AGENT_TYPE = 'harness.agent';
const AGENT_NAME = 'Agent';

/**
 * Stands in for an AI Agent (or the MCP Server Trigger): asks n8n-core for the tools on its
 * `ai_tool` input, as they do, and calls the one tool once per input item with the item as the
 * call's arguments, as a model's tool call would.
 */
const agentNodeType: INodeType = {
	description: {
		displayName: 'Agent',
		name: AGENT_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Calls its tool with each item',
		defaults: { name: AGENT_NAME },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true }],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		const [tool] = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
			name: string;
			description: string;
			schema: { shape: Record<string, unknown> };
			invoke(args: IDataObject): Promise<string>;
		}>;
		const calls: INodeExecutionData[] = [];
		for (const item of this.getInputData()) {
			const answer = await tool.invoke(item.json);
			calls.push({
				json: {
					tool: { name: tool.name, description: tool.description, arguments: Object.keys(tool.schema.shape) },
					answer: JSON.parse(answer) as IDataObject,
				},
			});
		}
		return [calls];
	},
};

const REQUESTING_AGENT_TYPE = 'harness.requestingAgent';

/**
 * Stands in for AI Agent 3: first asks the engine to run the tool node once per input item (the
 * item as the call's arguments, as `createEngineRequests` does), then outputs what each run answered.
 */
const requestingAgentNodeType: INodeType = {
	description: { ...agentNodeType.description, name: REQUESTING_AGENT_TYPE },
	async execute(this: IExecuteFunctions, response?: EngineResponse) {
		const [tool] = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
			name: string;
			description: string;
			schema: { shape: Record<string, unknown> };
			metadata: { sourceNodeName: string };
		}>;
		// The engine passes an empty response on the first run.
		if (!response || response.actionResponses.length === 0) {
			const request: EngineRequest = {
				actions: this.getInputData().map((item, itemIndex) => ({
					actionType: 'ExecutionNodeAction',
					nodeName: tool.metadata.sourceNodeName,
					input: item.json,
					type: NodeConnectionTypes.AiTool,
					id: `call-${itemIndex}`,
					metadata: { itemIndex },
				})),
				metadata: {},
			};
			return request as unknown as INodeExecutionData[][];
		}
		return [
			response.actionResponses.map(({ data }) => ({
				json: {
					tool: { name: tool.name, description: tool.description, arguments: Object.keys(tool.schema.shape) },
					answer: (data.data?.[NodeConnectionTypes.AiTool]?.[0] ?? []).map((item) => item.json),
				},
			})),
		];
	},
};

export async function runNode(options: {
	node: INodeType | IVersionedNodeType;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items: Array<Record<string, unknown>>;
	onError?: OnError;
	onStarted?: (cancel: () => void) => void;
	timezone?: string;
	/** Run the node as an AI agent's tool; each item is one call's arguments (read with `$fromAI`). */
	asTool?: ToolCallPath;
}): Promise<RunResult> {
	return await runWorkflow({ ...options, nodeType: options.node });
}

/**
 * The credential Test button, as n8n's credentials tester runs it: the node that lists the
 * credential type with `testedBy` gives the test function, called on n8n-core's own
 * `CredentialTestContext` with the decrypted credential.
 */
export async function runCredentialTest(
	credentialTypeName: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	for (const node of [new BloomreachEngagement(), new CustomerGauge(), new Blueshift()] as INodeType[]) {
		const listed = node.description.credentials?.find((credential) => credential.name === credentialTypeName);
		if (typeof listed?.testedBy !== 'string') continue;
		const test = node.methods?.credentialTest?.[listed.testedBy];
		if (!test) throw new Error(`${node.description.name} names ${listed.testedBy} but has no such credential test`);
		return await test.call(new CredentialTestContext(), {
			id: `${credentialTypeName}-id`,
			name: `${credentialTypeName} account`,
			type: credentialTypeName,
			data,
		});
	}
	throw new Error(`No node tests ${credentialTypeName}`);
}
