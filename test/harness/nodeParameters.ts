/**
 * The parameters of each node's main operation with the person's email taken from `$json.email`,
 * as a user sets them up behind a form or webhook; tests, e2e workflows and benchmarks add options.
 */
import type { INodeParameters } from 'n8n-workflow';

export const bloomreachBulkByEmail = {
	resource: 'customer',
	operation: 'anonymizeBulk',
	identifyBy: 'customerId',
	customerIdName: 'registered',
	customerIdValue: '={{ $json.email }}',
} satisfies INodeParameters;

export const customerGaugeAnonymizeByEmail = {
	resource: 'contact',
	authentication: 'apiKey',
	operation: 'anonymize',
	identifyBy: 'email',
	email: '={{ $json.email }}',
} satisfies INodeParameters;

export const blueshiftByEmail = (operation: 'forget' | 'delete' | 'search') =>
	({ resource: 'customer', operation, email: '={{ $json.email }}' }) satisfies INodeParameters;
