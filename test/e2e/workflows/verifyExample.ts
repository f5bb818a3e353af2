import { readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../../../scripts/lib/n8n-runtime.mjs';
import type { WorkflowFile } from './laneWorkflow';

export const VERIFY_EXAMPLE_PATH = 'e2e-erasure-request';

/**
 * "Erase, verify later, keep a record (webhook)" with its Wait shortened from an hour to two
 * seconds, on its own webhook path, so a test can follow one request to its row in the data table.
 */
export function verifyExampleSoon({
	id = 'e2eEraseVerifyLog',
	route = VERIFY_EXAMPLE_PATH,
	webhookIds = ['a1b2c3d4-0004-4000-8000-0000000e2e01', 'a1b2c3d4-0004-4000-8000-0000000e2e02'],
} = {}): WorkflowFile {
	const file = path.join(repoRoot, 'examples', 'erase-verify-record-webhook.json');
	const example = JSON.parse(readFileSync(file, 'utf8')) as WorkflowFile;
	return {
		...example,
		id,
		name: `e2e: ${example.name}, checked after two seconds`,
		nodes: example.nodes.map((node) => {
			if (node.type === 'n8n-nodes-base.webhook') {
				return { ...node, webhookId: webhookIds[0], parameters: { ...node.parameters, path: route } };
			}
			if (node.type === 'n8n-nodes-base.wait') {
				return { ...node, webhookId: webhookIds[1], parameters: { ...node.parameters, amount: 2, unit: 'seconds' } };
			}
			return node;
		}),
	};
}

export const verifyExampleWorkflow = verifyExampleSoon();
