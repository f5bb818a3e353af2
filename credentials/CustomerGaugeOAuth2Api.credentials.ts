import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	API_URL_OF_CREDENTIAL,
	customerGaugeRegionProperties,
	TOKEN_URL,
	TOKEN_URL_OF_CREDENTIAL,
} from '../nodes/CustomerGauge/regions';
import { ANONYMIZE_PATH } from '../nodes/CustomerGauge/vendor';

/**
 * CustomerGauge's current API (v6) with OAuth2 client credentials. n8n fetches the token from the
 * region's token endpoint, keeps it with the credential and fetches a new one when the API answers
 * 401 (tokens last an hour).
 */
export class CustomerGaugeOAuth2Api implements ICredentialType {
	name = 'customerGaugeOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'CustomerGauge OAuth2 API';

	documentationUrl = 'https://github.com/n8n-nodes-erasure/n8n-nodes-erasure/blob/main/docs/nodes/customergauge.md';

	icon: Icon = {
		light: 'file:../nodes/CustomerGauge/customerGauge.svg',
		dark: 'file:../nodes/CustomerGauge/customerGauge.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		...customerGaugeRegionProperties('Custom URLs'),
		{
			displayName: 'Token URL',
			name: 'customTokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://cg-proxy.example.com/oauth2/token',
			required: true,
			displayOptions: { show: { region: ['custom'] } },
			description: `URL that stands in for ${TOKEN_URL}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: TOKEN_URL_OF_CREDENTIAL,
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// CustomerGauge's documented token request sends the client ID and secret in the form body.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		// The rest of n8n's OAuth2 fields, hidden at the values the client credentials grant uses here,
		// so the dialog shows only the client ID and secret, the region and, for a custom one, its URLs.
		{
			displayName: 'Send Additional Body Properties',
			name: 'sendAdditionalBodyProperties',
			type: 'hidden',
			default: false,
		},
		{
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Use Dynamic Client Registration',
			name: 'useDynamicClientRegistration',
			type: 'hidden',
			default: false,
		},
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'hidden',
			default: '',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: API_URL_OF_CREDENTIAL,
			url: ANONYMIZE_PATH,
			qs: { email: 'n8n-credential-test@example.invalid' },
		},
	};
}
