import { readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../../../scripts/lib/n8n-runtime.mjs';
import type { WorkflowFile } from './laneWorkflow';

export const EXPIRING_FORM_PATH = '7b1f3c2a-0005-4000-8000-0000000e2e05';

/**
 * "Erase my data (form)" whose confirmation link expires three seconds after it is sent instead
 * of 24 hours, on its own form path, so a test can click a link that has run out.
 */
function formExampleExpiringSoon(): WorkflowFile {
	const file = path.join(repoRoot, 'examples', 'erase-my-data-form.json');
	const example = JSON.parse(readFileSync(file, 'utf8')) as WorkflowFile;
	return {
		...example,
		id: 'e2eEraseFormExpiry',
		name: `e2e: ${example.name}, link valid for three seconds`,
		nodes: example.nodes.map((node, index) => {
			const webhookId = node.webhookId
				? `7b1f3c2a-0005-4000-8000-0000000e2e${String(index).padStart(2, '0')}`
				: undefined;
			if (node.type === 'n8n-nodes-base.formTrigger') return { ...node, webhookId: EXPIRING_FORM_PATH };
			if (node.parameters.operation === 'sendAndWait') {
				const options = node.parameters.options as Record<string, unknown>;
				const limitWaitTime = { values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' } };
				return { ...node, webhookId, parameters: { ...node.parameters, options: { ...options, limitWaitTime } } };
			}
			return webhookId ? { ...node, webhookId } : node;
		}),
	};
}

export const expiringFormWorkflow = formExampleExpiringSoon();
