import type { INodeProperties } from 'n8n-workflow';

export interface Region {
	name: string;
	value: string;
	/** The region's API host. */
	url: string;
}

export interface RegionChoice {
	regions: Region[];
	defaultRegion: string;
	description: string;
	/** The name of the choice that uses the Base URL instead of a region. */
	customChoice: string;
	placeholder: string;
	/** What the Base URL stands in for, as the description shows it. */
	standsFor: string;
}

/** A credential's Region (each choice showing its host) and the Base URL a custom choice uses. */
export function regionProperties(choice: RegionChoice): INodeProperties[] {
	const { defaultRegion, placeholder } = choice;
	return [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				...choice.regions.map(({ name, value, url }) => ({ name, value, description: url })),
				{ name: choice.customChoice, value: 'custom', description: 'A proxy, your own domain or a local simulator' },
			],
			default: defaultRegion,
			description: choice.description,
		},
		{
			displayName: 'Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder,
			required: true,
			displayOptions: { show: { region: ['custom'] } },
			description: `Base URL that stands in for ${choice.standsFor}`,
		},
	];
}

/** The API host of each region, by its value. */
export function urlByRegion(regions: Region[]): Record<string, string> {
	return Object.fromEntries(regions.map(({ value, url }) => [value, url]));
}
