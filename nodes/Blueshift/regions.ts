import type { INodePropertyOptions } from 'n8n-workflow';

/** Blueshift's regions and their API hosts. */
const REGIONS = [
	{ name: 'United States', value: 'us', url: 'https://api.getblueshift.com' },
	{ name: 'Europe', value: 'eu', url: 'https://api.eu.getblueshift.com' },
];

/** The API host of each region, for the node. */
export const API_URL_BY_REGION: Record<string, string> = Object.fromEntries(REGIONS.map(({ value, url }) => [value, url]));

/** The credential's Region choices, each showing its host. */
export const REGION_OPTIONS: INodePropertyOptions[] = REGIONS.map(({ name, value, url }) => ({ name, value, description: url }));

/** The host a custom base URL stands in for. */
export const DEFAULT_API_URL = REGIONS[0].url;
