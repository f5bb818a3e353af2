import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { InvalidValueError } from '../input/invalidValueError';
import { type Redact, redactor } from '../privacy/redaction';

/** A read-only request that proves a credential works, built with the nodes' own URL rules. */
export interface CredentialProbe {
	vendor: string;
	url: string;
	authorization: string;
	/** Every form of the credential the request carries, to keep out of the result. */
	secrets: string[];
	/** Whether an answer that is not 2xx still proves the key (a search that matched nobody). */
	acceptsAnswer?(statusCode: number, body: unknown): boolean;
	/** A 2xx answer whose body still says the key was refused. */
	refusalIn?(body: unknown): string | undefined;
	/** What to check when the vendor refuses the credentials (401 or 403): only fields the credential has. */
	checkOnRefusal: string;
}

const CREDENTIAL_TEST_TIMEOUT_MS = 15_000;

/**
 * The credential Test button (a node's `credentialTest` method), held to the nodes' promises: the
 * probe's URL passes the same rules as every erasure (HTTPS except for loopback, no query, fragment
 * or user info), redirects are never followed, and nothing in the result repeats the credential.
 */
export function credentialProbe(buildProbe: (data: ICredentialDataDecryptedObject) => CredentialProbe) {
	return async function testCredential(
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		return await runCredentialProbe(this, () => buildProbe(credential.data ?? {}));
	};
}

async function runCredentialProbe(
	context: ICredentialTestFunctions,
	buildProbe: () => CredentialProbe,
): Promise<INodeCredentialTestResult> {
	let probe: CredentialProbe;
	try {
		probe = buildProbe();
	} catch (error) {
		const { field, problem, message } = error as Partial<InvalidValueError>;
		return { status: 'Error', message: error instanceof InvalidValueError ? `${field} ${problem}.` : String(message) };
	}
	const redact = redactor(probe.secrets);
	let answer: ProbeAnswer;
	try {
		answer = await askVendor(context, probe);
	} catch (error) {
		const { code, message } = error as { code?: string; message?: string };
		return {
			status: 'Error',
			message: redact(`Could not reach ${new URL(probe.url).host}: ${code ?? message ?? 'no answer'}`),
		};
	}
	return judgeAnswer(probe, answer, redact);
}

interface ProbeAnswer {
	statusCode: number;
	body: unknown;
}

async function askVendor(context: ICredentialTestFunctions, probe: CredentialProbe): Promise<ProbeAnswer> {
	return (await context.helpers.request({
		method: 'GET',
		uri: probe.url,
		headers: { Authorization: probe.authorization, Accept: 'application/json' },
		json: true,
		followRedirect: false,
		followAllRedirects: false,
		resolveWithFullResponse: true,
		simple: false,
		timeout: CREDENTIAL_TEST_TIMEOUT_MS,
	})) as ProbeAnswer;
}

function judgeAnswer(
	probe: CredentialProbe,
	{ statusCode, body }: ProbeAnswer,
	redact: Redact,
): INodeCredentialTestResult {
	if (statusCode >= 300 && statusCode < 400) {
		return {
			status: 'Error',
			message: `${probe.vendor} answered with a redirect (HTTP ${statusCode}). Redirects are not followed, so the credentials were not sent on: check the URL.`,
		};
	}
	if (statusCode === 401 || statusCode === 403) {
		return {
			status: 'Error',
			message: `${statusCode === 401 ? 'Unauthorized' : 'Forbidden'} (HTTP ${statusCode}): ${probe.vendor} refused the credentials. ${probe.checkOnRefusal}`,
		};
	}
	const provesKey = (statusCode >= 200 && statusCode < 300) || probe.acceptsAnswer?.(statusCode, body) === true;
	if (!provesKey) {
		return {
			status: 'Error',
			message: `${probe.vendor} answered HTTP ${statusCode}: the credentials could not be confirmed.`,
		};
	}
	const refusal = probe.refusalIn?.(body);
	if (refusal) return { status: 'Error', message: redact(refusal) };
	return { status: 'OK', message: 'Connection successful!' };
}
