import { readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../../../scripts/n8n-runtime.mjs';
import type { WorkflowFile } from './laneWorkflow';

/**
 * "Nightly bulk erasure (schedule)" as a person runs it by hand: the same workflow with its
 * Schedule Trigger swapped for a Manual Trigger of the same name, which `n8n execute` can start.
 */
function scheduleExampleByHand(): WorkflowFile {
	const file = path.join(repoRoot, 'examples', 'nightly-bulk-erasure-schedule.json');
	const example = JSON.parse(readFileSync(file, 'utf8')) as WorkflowFile;
	return {
		...example,
		id: 'e2eNightlyByHand',
		name: `e2e: ${example.name}, run by hand`,
		nodes: example.nodes.map((node) =>
			node.type === 'n8n-nodes-base.scheduleTrigger'
				? { ...node, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }
				: node,
		),
	};
}

export const scheduleExampleWorkflow = scheduleExampleByHand();
