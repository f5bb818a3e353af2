import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeErasure } from '../../shared/pipeline/executeErasure';
import { unsupportedOperation } from '../../shared/vendor/operationRouter';
import { anonymize } from './customer/anonymize.operation';
import { anonymizeBulk } from './customer/anonymizeBulk.operation';
import { verify } from './customer/verify.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation === 'anonymize') return await executeErasure.call(this, anonymize);
	if (operation === 'anonymizeBulk') return await executeErasure.call(this, anonymizeBulk);
	if (operation === 'verify') return await executeErasure.call(this, verify);
	throw unsupportedOperation(this, operation, 'Bloomreach Engagement API');
}
