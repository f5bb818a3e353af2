import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeErasure } from '../../shared/pipeline/executeErasure';
import { unsupportedOperation } from '../../shared/vendor/operationRouter';
import { deleteCustomer } from './customer/delete.operation';
import { forget } from './customer/forget.operation';
import { search } from './customer/search.operation';
import { verify } from './customer/verify.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation === 'forget') return await executeErasure.call(this, forget);
	if (operation === 'delete') return await executeErasure.call(this, deleteCustomer);
	if (operation === 'search') return await executeErasure.call(this, search);
	if (operation === 'verify') return await executeErasure.call(this, verify);
	throw unsupportedOperation(this, operation, 'Blueshift API');
}
