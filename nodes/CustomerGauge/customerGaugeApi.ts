import type { ICredentialTestFunctions, ICredentialsDecrypted, IExecuteFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { z } from 'zod';

import { regionBaseUrl } from '../shared/baseUrl';
import { runCredentialProbe } from '../shared/credentialTest';
import { requireText } from '../shared/invalidItemError';
import type { Connection, Vendor, VendorAnswer, Verdict } from '../shared/erasureOperation';
import { describeUnexpectedBody, fieldText, reasonForStatus } from '../shared/vendorAnswer';

const REGION_HOSTS: Record<string, string> = {
	eu: 'https://api.eu.customergauge.com',
	us: 'https://api.us.customergauge.com',
	au: 'https://api.au.customergauge.com',
};

export const customerGauge: Vendor<Connection> = {
	displayName: 'CustomerGauge',
	credentialType: 'customerGaugeApi',
	async connect(context: IExecuteFunctions) {
		const credentials = await context.getCredentials('customerGaugeApi');
		return { baseUrl: regionBaseUrl(credentials, REGION_HOSTS), secrets: [String(credentials.apiKey)] };
	},
};

export const ANONYMIZE_PATH = '/v4.1/anonymize.json';

/** The read-only preview of the anonymize endpoint, for an address that matches nobody. */
export async function customerGaugeApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	return await runCredentialProbe(this, () => {
		const apiKey = requireText(data.apiKey, 'API Key');
		return {
			vendor: 'CustomerGauge',
			url: `${regionBaseUrl(data, REGION_HOSTS)}${ANONYMIZE_PATH}?email=n8n-credential-test%40example.invalid`,
			authorization: `api_key ${apiKey}`,
			secrets: [apiKey],
			refusalIn: (body) => {
				const refused = errorBody.safeParse(body);
				if (!refused.success) return undefined;
				const details = refused.data.Error;
				return `CustomerGauge refused the key: ${typeof details === 'string' ? details : fieldText(details, ['Message', 'message']) || 'no reason given'}.`;
			},
		};
	});
}

const AUTH_HINT =
	'Check the CustomerGauge credential: the API key, and that its region is the one your account lives in.';

const errorBody = z
	.object({
		Error: z.union([
			z.string(),
			z
				.object({ Message: z.unknown().optional(), message: z.unknown().optional(), Code: z.unknown().optional() })
				.passthrough(),
		]),
	})
	.passthrough();

const dataBody = z.object({ Data: z.unknown() }).passthrough();

/**
 * Failure is told by the `Error` key whatever the HTTP status (CustomerGauge may answer an error
 * with 200); success needs both a `Data` key and a 2xx status, so an error status is never
 * reported as accepted, whatever its body says.
 */
export function interpretCustomerGaugeAnswer(
	answer: VendorAnswer,
	onData: (data: unknown) => Verdict,
): Verdict {
	const { statusCode } = answer;
	const reason = reasonForStatus(statusCode);
	const hint = reason === 'authentication' ? AUTH_HINT : undefined;
	const failure = errorBody.safeParse(answer.body);
	if (failure.success) {
		const details = failure.data.Error;
		const text =
			typeof details === 'string'
				? details.trim()
				: fieldText(details, ['Message', 'message']);
		const code = typeof details === 'string' ? undefined : details.Code;
		return {
			ok: false,
			reason,
			message: `CustomerGauge refused the request (HTTP ${statusCode}): ${text || 'no reason given'}.`,
			hint,
			...(typeof code === 'number' || typeof code === 'string' ? { vendorCode: code } : {}),
		};
	}
	const ok = statusCode >= 200 && statusCode < 300;
	const success = dataBody.safeParse(answer.body);
	if (success.success && 'Data' in success.data) {
		if (ok) return onData(success.data.Data);
		return {
			ok: false,
			reason,
			message: `CustomerGauge refused the request (HTTP ${statusCode}): ${fieldText(success.data.Data, ['message', 'Message']) || 'no reason given'}.`,
			hint,
		};
	}
	return {
		ok: false,
		reason: ok ? 'unexpected_response' : reason,
		message: `CustomerGauge answered HTTP ${statusCode} with ${describeUnexpectedBody(answer.body)}${ok ? ', so the request cannot be confirmed' : ''}.`,
		hint,
	};
}
