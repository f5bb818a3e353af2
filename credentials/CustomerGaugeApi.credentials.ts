import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CustomerGaugeApi implements ICredentialType {
	name = 'customerGaugeApi';

	displayName = 'CustomerGauge API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-erasure#customergauge-api';

	icon: Icon = {
		light: 'file:../nodes/CustomerGauge/customerGauge.svg',
		dark: 'file:../nodes/CustomerGauge/customerGauge.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Europe', value: 'eu', description: 'https://api.eu.customergauge.com' },
				{ name: 'United States', value: 'us', description: 'https://api.us.customergauge.com' },
				{ name: 'Australia', value: 'au', description: 'https://api.au.customergauge.com' },
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'A proxy, your own domain or a local simulator',
				},
			],
			default: 'eu',
			description: 'The CustomerGauge data centre your account lives in',
		},
		{
			displayName: 'Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://cg-proxy.example.com',
			required: true,
			displayOptions: { show: { region: ['custom'] } },
			description: 'Base URL that stands in for https://api.{region}.customergauge.com',
		},
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
