import { regionBaseUrl } from '../shared/input/urlRules';
import { requireText } from '../shared/input/valueRules';
import { basicAuthForms } from '../shared/privacy/redaction';
import { credentialProbe } from '../shared/sending/credentialProbe';
import { isBlueshiftNotFound, USER_API_KEY_NEEDED } from './answers';
import { API_URL_BY_REGION } from './regions';
import { CUSTOMERS_PATH } from './vendor';

/** A customer search, read-only, for an address that matches nobody. */
export const blueshiftApiTest = credentialProbe((data) => {
	const userApiKey = requireText(data.userApiKey, 'User API Key');
	const basicForms = basicAuthForms(userApiKey, '');
	return {
		vendor: 'Blueshift',
		url: `${regionBaseUrl(data, API_URL_BY_REGION)}${CUSTOMERS_PATH}?email=n8n-credential-test%40example.invalid`,
		authorization: `Basic ${basicForms[0]}`,
		secrets: [userApiKey, ...basicForms],
		checkOnRefusal: `${USER_API_KEY_NEEDED}, and check the region or base URL.`,
		acceptsAnswer: (statusCode, body) => isBlueshiftNotFound({ statusCode, headers: {}, body }),
	};
});
