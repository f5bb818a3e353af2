import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { aiToolProperties, usableAsErasureTool } from '../shared/description/aiTool';
import { irreversibleNotice, resourceAndOperations } from '../shared/description/nodeProperties';

import * as deleteOperation from './actions/customer/delete.operation';
import * as forget from './actions/customer/forget.operation';
import * as search from './actions/customer/search.operation';
import * as verify from './actions/customer/verify.operation';
import { router } from './actions/router';
import { blueshiftApiTest } from './credentialCheck';

export class Blueshift implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Blueshift',
		name: 'blueshift',
		icon: { light: 'file:blueshift.svg', dark: 'file:blueshift.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ { forget: "Forget", delete: "Delete", search: "Search (read-only)", verify: "Verify Erasure (read-only)" }[$parameter["operation"]] }}',
		description:
			'Forget or delete customer profiles in Blueshift for right-to-erasure (GDPR/CCPA) requests, and search them first',
		defaults: { name: 'Blueshift' },
		usableAsTool: usableAsErasureTool('Blueshift'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'blueshiftApi', required: true, testedBy: 'blueshiftApiTest' }],
		properties: [
			...aiToolProperties([
				{
					value: 'forget',
					does: 'Forget a customer in Blueshift: delete the personal data of every profile matching the identifiers and stop tracking them',
					erases: true,
				},
				{
					value: 'delete',
					does: 'Delete a customer in Blueshift: delete the first profile matching the identifiers, or all of them',
					erases: true,
				},
				{
					value: 'search',
					does: 'Search for customers in Blueshift: count the profiles matching the identifiers',
					erases: false,
				},
				{
					value: 'verify',
					does: 'Verify a customer erasure in Blueshift: check whether any profile still matches the identifiers',
					erases: false,
				},
			]),
			irreversibleNotice(
				'Forget and Delete are irreversible. Blueshift erases asynchronously (it can take a few hours) and stops accepting data for the erased profiles. Delete removes only the first matching profile unless Delete All Matching Profiles is on, and one request covers at most 50 profiles. Use Search, or the option Count Matches First, to see how many profiles match.',
				['forget', 'delete'],
			),
			...resourceAndOperations(
				{ name: 'Customer', value: 'customer' },
				[
					{
						name: 'Forget (Recommended for Erasure Requests)',
						value: 'forget',
						description:
							'Delete the personal data of the matching profiles and stop tracking them: the operation for right-to-erasure requests',
						action: 'Forget a customer',
					},
					{
						name: 'Delete',
						value: 'delete',
						description: 'Permanently delete the first matching profile, or all matching profiles',
						action: 'Delete a customer',
					},
					{
						name: 'Search',
						value: 'search',
						description: 'Find the profiles that match, without changing anything',
						action: 'Search for customers',
					},
					{
						name: 'Verify Erasure',
						value: 'verify',
						description:
							'Check whether an earlier Forget or Delete has finished: no matching profile left means completed. Changes nothing.',
						action: 'Verify a customer erasure',
					},
				],
				'forget',
			),
			...forget.description,
			...deleteOperation.description,
			...search.description,
			...verify.description,
		],
	};

	methods = { credentialTest: { blueshiftApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
