import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { withBasicAuth } from './common/requestAuthentication';

export class BloomreachEngagementApi implements ICredentialType {
	name = 'bloomreachEngagementApi';

	displayName = 'Bloomreach Engagement API';

	documentationUrl =
		'https://github.com/n8n-nodes-erasure/n8n-nodes-erasure/blob/main/docs/nodes/bloomreach-engagement.md';

	icon: Icon = {
		light: 'file:../nodes/BloomreachEngagement/bloomreachEngagement.svg',
		dark: 'file:../nodes/BloomreachEngagement/bloomreachEngagement.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName:
				'Use a private API key (Project settings > Access management > API, group "Private access") with the permission GDPR > Anonymize customer. The Test button proves the key, secret and project token work; no read-only call can prove that permission, so a key without it fails only when the node anonymizes.',
			name: 'permissionNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'string',
			default: 'https://api.exponea.com',
			required: true,
			description:
				'The API base URL of your Bloomreach Engagement instance, shown in Project settings > Access management > API. Many projects use https://api.exponea.com; some have their own domain.',
		},
		{
			displayName: 'Project Token',
			name: 'projectToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The token of the project whose customers you anonymize, shown in Project settings > Access management > API',
		},
		{
			displayName: 'API Key ID',
			name: 'apiKeyId',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The ID of a private API key (Project settings > Access management > API > Private access). The key needs the permission GDPR > Anonymize customer.',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret of that private API key, shown only once when the key is created',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withBasicAuth(requestOptions, credentials.apiKeyId, credentials.apiSecret);
	}
}
