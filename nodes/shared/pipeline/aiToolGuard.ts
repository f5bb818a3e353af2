import type { IExecuteFunctions } from 'n8n-workflow';

import { ALLOW_ERASURE_AS_AI_TOOL } from '../description/aiTool';
import type { Connection, ErasureOperation } from '../types/erasureOperation';
import type { ErasureSettings } from './settings';

/**
 * Whether n8n runs the node as an AI agent's tool (an AI Agent's, an MCP Server Trigger's, or the
 * editor's test of one). n8n generates the tool variant of a node with `usableAsTool` as a node
 * type of its own, the node's type with `Tool` appended (`n8n-nodes-erasure.blueshiftTool`), and
 * runs the node's own `execute` on that node; 1.123, 2.8 and 2.40 all do. No type of this package
 * ends in `Tool` otherwise.
 */
export function runsAsAiTool(context: IExecuteFunctions): boolean {
	const { type } = context.getNode();
	return type.slice(type.lastIndexOf('.') + 1).endsWith('Tool');
}

/**
 * An erasure run as an AI tool is refused, unless the node's opt-in allows it: a model fills in
 * the tool's parameters, and an erasure cannot be undone. Read-only operations and Dry Run send no
 * erasure and always run.
 */
export function refusedAsAiTool<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	settings: ErasureSettings,
): boolean {
	if (operation.successStatus !== 'accepted' || settings.dryRun || !runsAsAiTool(context)) return false;
	return context.getNodeParameter(ALLOW_ERASURE_AS_AI_TOOL.name, 0, false) !== true;
}
