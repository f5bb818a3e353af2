import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The warning above the operations that cannot be undone. */
export function irreversibleNotice(text: string, operations: string[]): INodeProperties {
	return {
		displayName: text,
		name: 'irreversibleNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: operations } },
	};
}

/** The node's one resource, and the operations offered on it. */
export function resourceAndOperations(
	resource: INodePropertyOptions,
	operations: INodePropertyOptions[],
	defaultOperation: string,
): INodeProperties[] {
	const resourceValue = resource.value;
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [resource],
			default: resourceValue,
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resourceValue] } },
			options: operations,
			default: defaultOperation,
		},
	];
}
