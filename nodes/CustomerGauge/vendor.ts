import type { IExecuteFunctions } from 'n8n-workflow';

import { regionBaseUrl, requireSecureBaseUrl } from '../shared/input/urlRules';
import type { Connection, Vendor } from '../shared/types/erasureOperation';
import { API_URL_BY_REGION } from './regions';

/** OAuth2 reaches the current API (v6); the API key only the legacy v4.1. */
export interface CustomerGaugeConnection extends Connection {
	api: 'v6' | 'v4.1';
}

export const customerGauge: Vendor<CustomerGaugeConnection> = {
	displayName: 'CustomerGauge',
	async connect(context: IExecuteFunctions) {
		if (context.getNodeParameter('authentication', 0) === 'oAuth2') {
			const credentials = await context.getCredentials('customerGaugeOAuth2Api');
			// n8n sends the client secret there: held to the same rule as every URL a credential goes to.
			requireSecureBaseUrl(credentials.accessTokenUrl, 'Token URL');
			const token = (credentials.oauthTokenData ?? {}) as { access_token?: unknown };
			return {
				credentialType: 'customerGaugeOAuth2Api',
				oAuth2: true,
				tokenUrl: String(credentials.accessTokenUrl),
				api: 'v6',
				baseUrl: regionBaseUrl(credentials, API_URL_BY_REGION),
				// The Connected App is the account: its token changes while the account stays the same.
				account: [String(credentials.clientId), String(credentials.accessTokenUrl)],
				secrets: [credentials.clientSecret, credentials.clientId, token.access_token]
					.filter((secret) => typeof secret === 'string' && secret !== '')
					.map(String),
			};
		}
		const credentials = await context.getCredentials('customerGaugeApi');
		return {
			credentialType: 'customerGaugeApi',
			api: 'v4.1',
			baseUrl: regionBaseUrl(credentials, API_URL_BY_REGION),
			secrets: [String(credentials.apiKey)],
		};
	},
};

/** v4.1: the anonymization (POST, form body) and its read-only preview (GET); OAuth2 tokens work here too. */
export const ANONYMIZE_PATH = '/v4.1/anonymize.json';
/** v6: the anonymization only, JSON body; CustomerGauge documents no v6 preview. */
export const V6_ANONYMIZE_PATH = '/v6/system-admin/data-admin/contacts/anonymize';
