import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { REGION_PROPERTIES } from '../nodes/Blueshift/regions';
import { withBasicAuth } from './common/requestAuthentication';

export class BlueshiftApi implements ICredentialType {
	name = 'blueshiftApi';

	displayName = 'Blueshift API';

	documentationUrl = 'https://github.com/n8n-nodes-erasure/n8n-nodes-erasure/blob/main/docs/nodes/blueshift.md';

	icon: Icon = {
		light: 'file:../nodes/Blueshift/blueshift.svg',
		dark: 'file:../nodes/Blueshift/blueshift.dark.svg',
	};

	properties: INodeProperties[] = [
		...REGION_PROPERTIES,
		{
			displayName: 'User API Key',
			name: 'userApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The User API key (Account Settings > API Keys > User API key), not the Event API key, which Blueshift refuses',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withBasicAuth(requestOptions, credentials.userApiKey, '');
	}
}
