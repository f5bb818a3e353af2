import { type Region, regionProperties, urlByRegion } from '../shared/description/regionProperties';

const REGIONS: Region[] = [
	{ name: 'United States', value: 'us', url: 'https://api.getblueshift.com' },
	{ name: 'Europe', value: 'eu', url: 'https://api.eu.getblueshift.com' },
];

/** The API host of each region, for the node. */
export const API_URL_BY_REGION = urlByRegion(REGIONS);

/** Region and custom base URL of the Blueshift credential. */
export const REGION_PROPERTIES = regionProperties({
	regions: REGIONS,
	defaultRegion: 'us',
	description: 'The Blueshift region your account lives in',
	customChoice: 'Custom Base URL',
	placeholder: 'https://blueshift-proxy.example.com',
	standsFor: REGIONS[0].url,
});
