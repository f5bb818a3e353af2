import { operationRouter } from '../../shared/pipeline/operationRouter';
import { deleteCustomer } from './customer/delete.operation';
import { forget } from './customer/forget.operation';
import { search } from './customer/search.operation';
import { verify } from './customer/verify.operation';

export const router = operationRouter({ forget, delete: deleteCustomer, search, verify }, 'Blueshift API');
