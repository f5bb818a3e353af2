import { regionBaseUrl } from '../shared/input/urlRules';
import { requireText } from '../shared/input/valueRules';
import { fieldText } from '../shared/sending/answerText';
import { credentialProbe } from '../shared/sending/credentialProbe';
import { errorBody } from './answers';
import { API_URL_BY_REGION } from './regions';
import { ANONYMIZE_PATH } from './vendor';

/** The read-only preview of the anonymize endpoint, for an address that matches nobody. */
export const customerGaugeApiTest = credentialProbe((data) => {
	const apiKey = requireText(data.apiKey, 'API Key');
	return {
		vendor: 'CustomerGauge',
		url: `${regionBaseUrl(data, API_URL_BY_REGION)}${ANONYMIZE_PATH}?email=n8n-credential-test%40example.invalid`,
		authorization: `api_key ${apiKey}`,
		secrets: [apiKey],
		checkOnRefusal: 'Check the key and the region or URL.',
		refusalIn: (body) => {
			const refused = errorBody.safeParse(body);
			if (!refused.success) return undefined;
			const details = refused.data.Error;
			return `CustomerGauge refused the key: ${typeof details === 'string' ? details : fieldText(details, ['Message', 'message']) || 'no reason given'}.`;
		},
	};
});
