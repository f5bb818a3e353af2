import { requireSecureBaseUrl } from '../shared/input/urlRules';
import { requireText } from '../shared/input/valueRules';
import { basicAuthForms } from '../shared/privacy/redaction';
import { fieldText } from '../shared/sending/answerText';
import { credentialProbe } from '../shared/sending/credentialProbe';
import { answerBody } from './answers';

/** Lists the project's consent categories: needs a valid private key, changes nothing. */
export const bloomreachEngagementApiTest = credentialProbe((data) => {
	const baseUrl = requireSecureBaseUrl(data.instanceUrl, 'Instance URL');
	const projectToken = requireText(data.projectToken, 'Project Token');
	const [keyId, secret] = [String(data.apiKeyId ?? ''), String(data.apiSecret ?? '')];
	const basicForms = basicAuthForms(keyId, secret);
	return {
		vendor: 'Bloomreach',
		url: `${baseUrl}/data/v2/projects/${encodeURIComponent(projectToken)}/consent/categories`,
		authorization: `Basic ${basicForms[0]}`,
		secrets: [keyId, secret, projectToken, ...basicForms],
		checkOnRefusal: 'Check the API key ID, secret and project token, and the Instance URL.',
		refusalIn: (body) =>
			answerBody.safeParse(body).data?.success === false
				? `Bloomreach refused the key: ${fieldText(body, ['errors', 'error', 'message']) || 'no reason given'}. Check the API key ID, secret and project token.`
				: undefined,
	};
});
