import { operationRouter } from '../../shared/pipeline/operationRouter';
import { anonymize } from './customer/anonymize.operation';
import { anonymizeBulk } from './customer/anonymizeBulk.operation';
import { verify } from './customer/verify.operation';

export const router = operationRouter({ anonymize, anonymizeBulk, verify }, 'Bloomreach Engagement API');
