import { readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../../../scripts/lib/n8n-runtime.mjs';
import type { WorkflowFile } from './laneWorkflow';

/**
 * "Nightly bulk erasure (schedule)" as a person runs it by hand: the same workflow with its
 * Schedule Trigger swapped for a Manual Trigger of the same name, which `n8n execute` can start;
 * optionally with the node's Dry Run option switched on, as a person tries it first.
 */
function scheduleExampleByHand({ dryRun }: { dryRun: boolean }): WorkflowFile {
	const file = path.join(repoRoot, 'examples', 'nightly-bulk-erasure-schedule.json');
	const example = JSON.parse(readFileSync(file, 'utf8')) as WorkflowFile;
	return {
		...example,
		id: dryRun ? 'e2eNightlyDryRun' : 'e2eNightlyByHand',
		name: `e2e: ${example.name}, run by hand${dryRun ? ' as a dry run' : ''}`,
		nodes: example.nodes.map((node) => {
			if (node.type === 'n8n-nodes-base.scheduleTrigger') {
				return { ...node, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
			}
			if (dryRun && node.type === 'n8n-nodes-erasure.bloomreachEngagement') {
				const options = (node.parameters.options ?? {}) as Record<string, unknown>;
				return { ...node, parameters: { ...node.parameters, options: { ...options, dryRun: true } } };
			}
			return node;
		}),
	};
}

export const scheduleExampleWorkflow = scheduleExampleByHand({ dryRun: false });
export const scheduleExampleDryRunWorkflow = scheduleExampleByHand({ dryRun: true });

/**
 * "Nightly bulk erasure (schedule)" as n8n runs it when published, but every five seconds instead of
 * every night, and with its stand-in queue holding `emails`: a test publishes it, waits for its first
 * run and unpublishes it. Everything else (settings, error workflow, alert) is the example's.
 */
export function scheduleExampleEveryFewSeconds(id: string, emails: string[]): WorkflowFile {
	const file = path.join(repoRoot, 'examples', 'nightly-bulk-erasure-schedule.json');
	const example = JSON.parse(readFileSync(file, 'utf8')) as WorkflowFile;
	const queue = emails.map((email, index) => ({ email, requestId: `DSR-${9001 + index}` }));
	return {
		...example,
		id,
		name: `e2e: ${example.name}, every five seconds`,
		nodes: example.nodes.map((node) => {
			if (node.type === 'n8n-nodes-base.scheduleTrigger') {
				return { ...node, parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 5 }] } } };
			}
			if (node.type === 'n8n-nodes-base.code') {
				return { ...node, parameters: { jsCode: `return ${JSON.stringify(queue.map((json) => ({ json })))};` } };
			}
			return node;
		}),
	};
}
