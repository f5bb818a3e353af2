import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeErasure } from '../../shared/pipeline/executeErasure';
import { unsupportedOperation } from '../../shared/vendor/operationRouter';
import { anonymize } from './contact/anonymize.operation';
import { preview } from './contact/preview.operation';
import { verify } from './contact/verify.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation === 'anonymize') return await executeErasure.call(this, anonymize);
	if (operation === 'preview') return await executeErasure.call(this, preview);
	if (operation === 'verify') return await executeErasure.call(this, verify);
	throw unsupportedOperation(this, operation, 'CustomerGauge API');
}
