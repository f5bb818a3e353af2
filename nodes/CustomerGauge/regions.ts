import type { INodeProperties } from 'n8n-workflow';

import { type Region, regionProperties, urlByRegion } from '../shared/description/regionProperties';

const API_URL = 'https://api.{region}.customergauge.com';
/** Shown in the credential as it is: the region's token URL, for the custom one to stand in for. */
export const TOKEN_URL = 'https://auth.{region}.customergauge.com/oauth2/token';

const urlOf = (template: string, region: string) => template.replace('{region}', region);

/** CustomerGauge's data centres. Each region names its API host and its OAuth2 token host. */
const REGIONS: Region[] = [
	{ name: 'Europe', value: 'eu' },
	{ name: 'United States', value: 'us' },
	{ name: 'Australia', value: 'au' },
].map((region) => ({ ...region, url: urlOf(API_URL, region.value) }));

/** The URL as an n8n expression over another expression that holds the region. */
const urlExpression = (template: string, region: string) =>
	template
		.split('{region}')
		.map((part) => JSON.stringify(part))
		.join(` + ${region} + `);

/** The API host of each region, for the nodes. */
export const API_URL_BY_REGION = urlByRegion(REGIONS);

/** The API host of the credential's region, for the OAuth2 credential's Test request. */
export const API_URL_OF_CREDENTIAL = `={{ $credentials.region === "custom" ? $credentials.customBaseUrl : ${urlExpression(API_URL, '$credentials.region')} }}`;

/** The token URL n8n fetches OAuth2 tokens from: the region's, or the custom one. */
export const TOKEN_URL_OF_CREDENTIAL = `={{ $self["region"] === "custom" ? $self["customTokenUrl"] : ${urlExpression(TOKEN_URL, '$self["region"]')} }}`;

/** Region and custom base URL, shared by both CustomerGauge credentials. */
export function customerGaugeRegionProperties(customChoice: string): INodeProperties[] {
	return regionProperties({
		regions: REGIONS,
		defaultRegion: 'eu',
		description: 'The CustomerGauge data centre your account lives in',
		customChoice,
		placeholder: 'https://cg-proxy.example.com',
		standsFor: API_URL,
	});
}
