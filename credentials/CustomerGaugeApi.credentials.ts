import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { customerGaugeRegionProperties } from './common/customerGaugeRegion';

export class CustomerGaugeApi implements ICredentialType {
	name = 'customerGaugeApi';

	displayName = 'CustomerGauge API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-erasure#customergauge-api';

	icon: Icon = {
		light: 'file:../nodes/CustomerGauge/customerGauge.svg',
		dark: 'file:../nodes/CustomerGauge/customerGauge.dark.svg',
	};

	properties: INodeProperties[] = [
		...customerGaugeRegionProperties('Custom Base URL'),
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Your CustomerGauge API key (Settings > Integrations > API, or ask your Customer Success Manager)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=api_key {{$credentials.apiKey}}',
			},
		},
	};
}
