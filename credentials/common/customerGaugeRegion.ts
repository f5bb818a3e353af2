import type { INodeProperties } from 'n8n-workflow';

/** Region and custom base URL, shared by both CustomerGauge credentials. */
export function customerGaugeRegionProperties(customChoice: string): INodeProperties[] {
	return [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Europe', value: 'eu', description: 'https://api.eu.customergauge.com' },
				{ name: 'United States', value: 'us', description: 'https://api.us.customergauge.com' },
				{ name: 'Australia', value: 'au', description: 'https://api.au.customergauge.com' },
				{ name: customChoice, value: 'custom', description: 'A proxy, your own domain or a local simulator' },
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
	];
}
