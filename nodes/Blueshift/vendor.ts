import type { IExecuteFunctions } from 'n8n-workflow';

import { regionBaseUrl } from '../shared/input/urlRules';
import { basicAuthForms } from '../shared/privacy/redaction';
import type { Connection, Vendor } from '../shared/types/erasureOperation';
import { API_URL_BY_REGION } from './regions';

export const blueshift: Vendor<Connection> = {
	displayName: 'Blueshift',
	async connect(context: IExecuteFunctions) {
		const credentials = await context.getCredentials('blueshiftApi');
		const userApiKey = String(credentials.userApiKey);
		return {
			credentialType: 'blueshiftApi',
			baseUrl: regionBaseUrl(credentials, API_URL_BY_REGION),
			secrets: [userApiKey, ...basicAuthForms(userApiKey, '')],
		};
	},
};

export const CUSTOMERS_PATH = '/api/v1/customers';

/** Blueshift deletes or forgets at most this many matching profiles with one request. */
export const MAX_PROFILES_PER_REQUEST = 50;
