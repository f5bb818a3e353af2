import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

/** Properties shown only when this resource and one of these operations are selected. */
export function showFor(resource: string, operations: string[], properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: operations } }, properties);
}
