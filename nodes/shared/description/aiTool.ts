import type { INodeProperties, UsableAsToolDescription } from 'n8n-workflow';

/**
 * The opt-in that lets an erasure run when the node is an AI agent's tool (or an MCP Server
 * Trigger's). Off by default: a model fills in the tool's parameters, so a prompt injection could
 * otherwise erase anyone.
 */
export const ALLOW_ERASURE_AS_AI_TOOL = {
	name: 'allowErasureAsAiTool',
	displayName: 'Allow Erasure When Run by an AI Agent',
} as const;

/**
 * The node as an AI tool, under a name that says what it is for. n8n's AI tools picker matches a
 * tool by its display name and its codex aliases only, and n8n before 2.40 leaves the aliases out of
 * the tool variant it generates (`setToolCodex`): the tool's name carries the words people search
 * for ("erasure", "gdpr", "delete"). The node keeps its own name everywhere else.
 */
export function usableAsErasureTool(displayName: string): UsableAsToolDescription {
	return { replacements: { displayName: `${displayName} GDPR Erasure / CCPA Delete` } };
}

/** One operation as the tool description presents it. */
export interface ToolOperation {
	value: string;
	/** What the operation does, as the model reads it: "Forget a customer in Blueshift". */
	does: string;
	/** An irreversible erasure, refused as a tool unless allowed; otherwise read-only. */
	erases: boolean;
}

/** What a model is told about one operation: an erasure says it is irreversible and refused unless allowed. */
export function toolDescriptionOf({ does, erases }: ToolOperation): string {
	if (!erases) return `${does}. Read-only: changes nothing.`;
	return `${does}. IRREVERSIBLE: the person's data is erased for good. Refused when called by an AI agent or MCP client: nothing is sent and the answer is a receipt with status "failed" and failure reason "refused_for_ai_tool", unless a person turned on the node option "${ALLOW_ERASURE_AS_AI_TOOL.displayName}".`;
}

/**
 * The properties a node shows only as an AI tool (n8n's `@tool` display condition): the
 * description the model sees, one per operation (n8n then adds no description of its own, and its
 * automatic one would not say that an erasure is irreversible), and the opt-in for the erasures.
 */
export function aiToolProperties(operations: ToolOperation[]): INodeProperties[] {
	const descriptions = operations.map((operation): INodeProperties => ({
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		required: true,
		typeOptions: { rows: 3 },
		default: toolDescriptionOf(operation),
		description:
			'What the AI agent (or MCP client) is told about this tool. Keep the warning for an erasure: it tells the model that the call cannot be undone and is refused unless allowed.',
		displayOptions: { show: { '@tool': [true], operation: [operation.value] } },
	}));
	const erasures = operations.filter((operation) => operation.erases).map((operation) => operation.value);
	return [
		...descriptions,
		{
			displayName: ALLOW_ERASURE_AS_AI_TOOL.displayName,
			name: ALLOW_ERASURE_AS_AI_TOOL.name,
			type: 'boolean',
			default: false,
			description:
				'Whether this erasure may run when an AI agent or an MCP client calls this node as a tool. Off, nothing is sent: each item gets a failed receipt with reason refused_for_ai_tool. The erasure is irreversible and a model chooses whom it erases: turn this on only behind a human review step, such as a Human review node between this tool and the agent. Dry Run and the read-only operations always run.',
			displayOptions: { show: { '@tool': [true], operation: erasures } },
		},
	];
}
