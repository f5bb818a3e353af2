import { operationRouter } from '../../shared/pipeline/operationRouter';
import { anonymize } from './contact/anonymize.operation';
import { preview } from './contact/preview.operation';
import { verify } from './contact/verify.operation';

export const router = operationRouter({ anonymize, preview, verify }, 'CustomerGauge API');
