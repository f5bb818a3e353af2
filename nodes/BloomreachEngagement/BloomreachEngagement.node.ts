import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { aiToolProperties, usableAsErasureTool } from '../shared/description/aiTool';
import { irreversibleNotice, resourceAndOperations } from '../shared/description/nodeProperties';

import * as anonymize from './actions/customer/anonymize.operation';
import * as anonymizeBulk from './actions/customer/anonymizeBulk.operation';
import * as verify from './actions/customer/verify.operation';
import { router } from './actions/router';
import { bloomreachEngagementApiTest } from './credentialCheck';

export class BloomreachEngagement implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bloomreach Engagement',
		name: 'bloomreachEngagement',
		icon: { light: 'file:bloomreachEngagement.svg', dark: 'file:bloomreachEngagement.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ { anonymize: "Anonymize", anonymizeBulk: "Anonymize in Bulk", verify: "Verify Erasure (sends nothing)" }[$parameter["operation"]] }}',
		description: 'Anonymize customers in Bloomreach Engagement for right-to-erasure (GDPR/CCPA) requests',
		defaults: { name: 'Bloomreach Engagement' },
		usableAsTool: usableAsErasureTool('Bloomreach Engagement'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bloomreachEngagementApi', required: true, testedBy: 'bloomreachEngagementApiTest' }],
		properties: [
			...aiToolProperties([
				{
					value: 'anonymize',
					does: 'Anonymize a customer in Bloomreach Engagement, identified by customer IDs',
					erases: true,
				},
				{
					value: 'anonymizeBulk',
					does: 'Anonymize customers in bulk in Bloomreach Engagement, identified by customer IDs',
					erases: true,
				},
				{
					value: 'verify',
					does: 'Verify a customer erasure in Bloomreach Engagement: sends nothing and says what to give Bloomreach support',
					erases: false,
				},
			]),
			irreversibleNotice(
				"Anonymization is irreversible. It removes the customer IDs, external IDs and only the properties marked Private (PII) in your project's Data manager, and assigns a new cookie; properties not marked private are kept. Bloomreach accepts the request and completes it later.",
				['anonymize', 'anonymizeBulk'],
			),
			...resourceAndOperations(
				{ name: 'Customer', value: 'customer' },
				[
					{
						name: 'Anonymize',
						value: 'anonymize',
						description: 'Anonymize one customer per item, identified by one or more customer IDs',
						action: 'Anonymize a customer',
					},
					{
						name: 'Anonymize in Bulk',
						value: 'anonymizeBulk',
						description: 'Anonymize many customers with up to 1000 per request, one customer per item',
						action: 'Anonymize customers in bulk',
					},
					{
						name: 'Verify Erasure',
						value: 'verify',
						description:
							'Bloomreach cannot say whether an anonymization finished: answers "unverifiable" with what to give Bloomreach support. Sends nothing.',
						action: 'Verify a customer erasure',
					},
				],
				'anonymizeBulk',
			),
			...anonymize.description,
			...anonymizeBulk.description,
			...verify.description,
		],
	};

	methods = { credentialTest: { bloomreachEngagementApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
