import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** CustomerGauge's data centres. Each region names its API host and its OAuth2 token host. */
const REGIONS = [
	{ name: 'Europe', value: 'eu' },
	{ name: 'United States', value: 'us' },
	{ name: 'Australia', value: 'au' },
];

const API_URL = 'https://api.{region}.customergauge.com';
/** Shown in the credential as it is: the region's token URL, for the custom one to stand in for. */
export const TOKEN_URL = 'https://auth.{region}.customergauge.com/oauth2/token';

const urlOf = (template: string, region: string) => template.replace('{region}', region);

/** The URL as an n8n expression over another expression that holds the region. */
const urlExpression = (template: string, region: string) =>
	template
		.split('{region}')
		.map((part) => JSON.stringify(part))
		.join(` + ${region} + `);

/** The API host of each region, for the nodes. */
export const API_URL_BY_REGION: Record<string, string> = Object.fromEntries(
	REGIONS.map(({ value }) => [value, urlOf(API_URL, value)]),
);

/** The API host of the credential's region, for the OAuth2 credential's Test request. */
export const API_URL_OF_CREDENTIAL = `={{ $credentials.region === "custom" ? $credentials.customBaseUrl : ${urlExpression(API_URL, '$credentials.region')} }}`;

/** The token URL n8n fetches OAuth2 tokens from: the region's, or the custom one. */
export const TOKEN_URL_OF_CREDENTIAL = `={{ $self["region"] === "custom" ? $self["customTokenUrl"] : ${urlExpression(TOKEN_URL, '$self["region"]')} }}`;

function regionOptions(customChoice: string): INodePropertyOptions[] {
	return [
		...REGIONS.map(({ name, value }) => ({ name, value, description: urlOf(API_URL, value) })),
		{ name: customChoice, value: 'custom', description: 'A proxy, your own domain or a local simulator' },
	];
}

/** Region and custom base URL, shared by both CustomerGauge credentials. */
export function regionProperties(customChoice: string): INodeProperties[] {
	return [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: regionOptions(customChoice),
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
			description: `Base URL that stands in for ${API_URL}`,
		},
	];
}
