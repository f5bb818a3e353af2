import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { executeErasure } from './executeErasure';
import type { Connection, ErasureOperation } from '../types/erasureOperation';

/** A node's `execute`: runs the operation chosen in the Operation list through the erasure pipeline. */
export function operationRouter(
	operations: Record<string, ErasureOperation<unknown, Connection>>,
	credentialName: string,
): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async function router(this: IExecuteFunctions) {
		const name = this.getNodeParameter('operation', 0) as string;
		if (!Object.hasOwn(operations, name)) throw unsupportedOperation(this, name, credentialName);
		return await executeErasure.call(this, operations[name]);
	};
}

/**
 * n8n's editor adds "Custom API Call" to the Operation list of every node whose credential it can
 * lend to the HTTP Request node. That call is made with an HTTP Request node, not with this one.
 */
function unsupportedOperation(
	context: IExecuteFunctions,
	operation: string,
	credentialName: string,
): NodeOperationError {
	if (operation === '__CUSTOM_API_CALL__') {
		return new NodeOperationError(
			context.getNode(),
			'Custom API Call is made with an HTTP Request node, not with this node',
			{
				description: `Nothing was sent. Add an HTTP Request node, set Authentication to "Predefined Credential Type" and choose the "${credentialName}" credential: it then calls any endpoint of the vendor's API with this credential.`,
			},
		);
	}
	return new NodeOperationError(context.getNode(), `The operation "${operation}" is not supported`, {
		description: 'Nothing was sent. Choose one of the operations in the Operation list.',
	});
}
