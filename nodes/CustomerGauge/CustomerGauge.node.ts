import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { aiToolProperties, usableAsErasureTool } from '../shared/description/aiTool';
import { irreversibleNotice, resourceAndOperations } from '../shared/description/nodeProperties';

import * as anonymize from './actions/contact/anonymize.operation';
import * as preview from './actions/contact/preview.operation';
import * as verify from './actions/contact/verify.operation';
import { router } from './actions/router';
import { customerGaugeApiTest } from './credentialCheck';

const AUTHENTICATION_OPTIONS = [
	{
		name: 'OAuth2 (Recommended)',
		value: 'oAuth2',
		description: "CustomerGauge's current API (v6), with a Connected App's client ID and secret",
	},
	{
		name: 'API Key (Legacy)',
		value: 'apiKey',
		description: 'The legacy API (v4.1), for accounts that cannot use OAuth2',
	},
];

export class CustomerGauge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CustomerGauge',
		name: 'customerGauge',
		icon: { light: 'file:customerGauge.svg', dark: 'file:customerGauge.dark.svg' },
		group: ['output'],
		// Version 2 makes OAuth2 the default for new nodes; version 1 nodes keep the API key.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ { anonymize: "Anonymize", preview: "Preview (read-only)", verify: "Verify Erasure (read-only)" }[$parameter["operation"]] }}',
		description:
			'Anonymize every CustomerGauge record of a contact, by email or telephone, for right-to-erasure (GDPR/CCPA) requests',
		defaults: { name: 'CustomerGauge' },
		usableAsTool: usableAsErasureTool('CustomerGauge'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'customerGaugeOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'customerGaugeApi',
				required: true,
				testedBy: 'customerGaugeApiTest',
				displayOptions: { show: { authentication: ['apiKey'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: AUTHENTICATION_OPTIONS,
				default: 'oAuth2',
				displayOptions: { show: { '@version': [2] } },
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: AUTHENTICATION_OPTIONS,
				default: 'apiKey',
				displayOptions: { show: { '@version': [1] } },
			},
			...aiToolProperties([
				{
					value: 'anonymize',
					does: 'Anonymize a contact in CustomerGauge: anonymize every survey record held under the email or telephone',
					erases: true,
				},
				{
					value: 'preview',
					does: 'Preview a contact anonymization in CustomerGauge: list the records held under the email or telephone',
					erases: false,
				},
				{
					value: 'verify',
					does: 'Verify a contact erasure in CustomerGauge: check whether any record is still held under the email or telephone',
					erases: false,
				},
			]),
			irreversibleNotice(
				'Anonymization is irreversible. CustomerGauge anonymizes every past record with this email or telephone: names, phone and customer number become ***, the email a random address, comments a fixed text. Custom fields are never anonymized, and segment fields only if agreed with CustomerGauge. Use Preview first to see the records.',
				['anonymize'],
			),
			...resourceAndOperations(
				{ name: 'Contact', value: 'contact' },
				[
					{
						name: 'Anonymize',
						value: 'anonymize',
						description: 'Anonymize every record of a contact, found by email or telephone',
						action: 'Anonymize a contact',
					},
					{
						name: 'Preview',
						value: 'preview',
						description: 'List the records that Anonymize would change, without changing anything',
						action: 'Preview a contact anonymization',
					},
					{
						name: 'Verify Erasure',
						value: 'verify',
						description:
							'Check whether an earlier Anonymize has finished: no record left under the email or telephone means completed. Changes nothing.',
						action: 'Verify a contact erasure',
					},
				],
				'anonymize',
			),
			...anonymize.description,
			...preview.description,
			...verify.description,
		],
	};

	methods = { credentialTest: { customerGaugeApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
