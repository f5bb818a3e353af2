import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { VendorAnswer, VendorRequest, Verdict } from '../types/erasureOperation';
import type { FailureReason } from '../types/receipt';
import { type Redact, redactDeep } from '../privacy/redaction';
import type { Turn } from './rateGate';
import { backoffDelayMs, retryAfterMs } from './retry';

/** How requests reach the vendor: n8n's request helper with this credential, answers redacted. */
export interface VendorLink {
	credentialType: string;
	/** The vendor's name, for messages. */
	vendorName: string;
	/** n8n renews an OAuth2 token only when the request fails with 401, so errors must reach it. */
	oAuth2: boolean;
	redact: Redact;
	/** Hides a secret from `redact` from now on: an OAuth2 token n8n fetched or renewed during the run. */
	keepSecret?(secret: unknown): void;
	/** OAuth2: the host of the token endpoint n8n fetches tokens from, named when it fails. */
	tokenHost?: string;
	/** n8n's signal for "the user cancelled this execution". */
	cancelSignal: AbortSignal | undefined;
}

/** How often a request is tried, how long one attempt and one wait between attempts may take. */
export interface RetryRules {
	maxAttempts: number;
	maxRetryWaitMs: number;
	requestTimeoutMs: number;
}

/** Everything one request needs on its way: the link, the retry rules and its turn to start. */
export interface SendingRules {
	link: VendorLink;
	retry: RetryRules;
	/** Resolves when the vendor account's pacing lets the next attempt start. */
	waitForTurn(): Promise<Turn>;
	/**
	 * The run's first proof that the credential is refused (a 401, or a token endpoint that will not
	 * issue a token): later requests of the run are not sent, and fail with the same reason.
	 */
	refusal?: { verdict?: Extract<Verdict, { ok: false }> };
}

export interface Delivery {
	verdict: Verdict;
	httpStatus: number | null;
	attempts: number;
	/** Attempts that were sent but got no answer in time: the vendor may have processed them. */
	unanswered: number;
	/** Null when nothing was sent. */
	requestedAt: string | null;
}

/**
 * Retried: what is temporary, and a request that got no answer. Re-sending after no answer is safe
 * for every operation of this package: anonymize, delete and forget are idempotent in effect (a
 * second request for the same people changes nothing more), and previews and searches change nothing.
 */
const RETRIED_REASONS = new Set<FailureReason>(['rate_limited', 'vendor_unavailable', 'network', 'no_answer']);

/**
 * Sends one request, retrying what is safe to retry, and returns the final verdict. A read-only
 * request (a look-up, a preview, a verification) changes nothing: its messages never say that the
 * vendor may have processed it.
 */
export async function deliver(
	context: IExecuteFunctions,
	request: VendorRequest,
	interpret: (answer: VendorAnswer) => Verdict,
	{ link, retry, waitForTurn, refusal }: SendingRules,
	readOnly = false,
): Promise<Delivery> {
	// When the first attempt started (after its turn at the pacing), or null when nothing was sent.
	let requestedAt: string | null = null;
	let unanswered = 0;
	const delivery = (verdict: Verdict, httpStatus: number | null, attempts: number): Delivery => ({
		verdict: unanswered > 0 && verdict.ok ? withEarlierUnanswered(verdict, unanswered, readOnly) : verdict,
		httpStatus,
		attempts,
		unanswered,
		requestedAt,
	});
	for (let attempts = 1; ; attempts++) {
		if (refusal?.verdict) return delivery(refusedEarlier(refusal.verdict, link), null, attempts - 1);
		const turn = await waitForTurn();
		let sent: Sent;
		try {
			if (link.cancelSignal?.aborted)
				return delivery(cancelledBeforeSending(attempts - 1, readOnly), null, attempts - 1);
			requestedAt ??= new Date().toISOString();
			sent = await send(context, request, link, retry.requestTimeoutMs, readOnly);
		} finally {
			// As soon as the answer is in, not after reading it: the pacing counts the request until then.
			turn.over();
		}
		if (link.oAuth2) await keepCurrentToken(context, link);
		const { verdict, answer }: { verdict: Verdict; answer?: VendorAnswer } =
			'verdict' in sent ? sent : readAnswer(sent.response, interpret, link);
		if (!verdict.ok && verdict.reason === 'no_answer') unanswered++;
		const httpStatus = answer?.statusCode ?? ('verdict' in sent ? (sent.httpStatus ?? null) : null);
		if (
			refusal &&
			!verdict.ok &&
			verdict.reason === 'authentication' &&
			(httpStatus === 401 || verdict.credentialRefused)
		) {
			refusal.verdict ??= verdict;
		}
		const retryable =
			!verdict.ok && !link.cancelSignal?.aborted && (verdict.retryable ?? RETRIED_REASONS.has(verdict.reason));
		if (!retryable || attempts >= retry.maxAttempts) return delivery(verdict, httpStatus, attempts);
		const askedWaitMs = answer ? retryAfterMs(answer.headers) : undefined;
		if (askedWaitMs !== undefined && askedWaitMs > retry.maxRetryWaitMs) {
			const tooLong: Verdict = {
				...verdict,
				message: `${verdict.message} The vendor asked to wait ${Math.ceil(askedWaitMs / 1000)} s before retrying, longer than the Max Retry Wait option allows.`,
			};
			return delivery(tooLong, httpStatus, attempts);
		}
		await sleep(askedWaitMs ?? backoffDelayMs(attempts, retry.maxRetryWaitMs));
	}
}

function withEarlierUnanswered(
	verdict: Extract<Verdict, { ok: true }>,
	unanswered: number,
	readOnly: boolean,
): Verdict {
	const which = unanswered === 1 ? 'An earlier attempt' : `${unanswered} earlier attempts`;
	if (readOnly)
		return {
			...verdict,
			message: `${verdict.message} ${which} got no answer in time; being read-only, ${unanswered === 1 ? 'it' : 'they'} changed nothing.`,
		};
	return {
		...verdict,
		message: `${verdict.message} ${which} got no answer in time and may have been processed too; sending the same request again is safe (it changes nothing more), but the vendor may show it more than once.`,
	};
}

/** Not sent: an earlier request of the run proved the credential refused, and this one would be too. */
function refusedEarlier(first: Extract<Verdict, { ok: false }>, link: VendorLink): Verdict {
	return {
		ok: false,
		reason: 'authentication',
		message: `Not sent: ${link.vendorName} refused the credential earlier in this run, so this request would be refused too. The refusal: ${first.message}`,
		hint: first.hint,
	};
}

function cancelledBeforeSending(attemptsSent: number, readOnly: boolean): Verdict {
	let message = 'The execution was cancelled before this request was sent.';
	if (attemptsSent > 0) {
		message = readOnly
			? 'The execution was cancelled before the vendor answered this read-only request: nothing was changed.'
			: 'The execution was cancelled before the vendor answered: the request may have been processed.';
	}
	return { ok: false, reason: attemptsSent > 0 ? 'no_answer' : 'not_sent', message };
}

/**
 * A signal that fires when either does. Not `AbortSignal.any`: its listener on the execution's
 * cancel signal stays until garbage collection, so with many requests in flight Node warned of an
 * abort-listener leak. These listeners are removed once the attempt is over.
 */
function eitherSignal(deadline: AbortSignal, cancelSignal: AbortSignal | undefined) {
	if (!cancelSignal) return { signal: deadline, release: () => {} };
	const either = new AbortController();
	const abort = () => either.abort();
	if (cancelSignal.aborted) abort();
	cancelSignal.addEventListener('abort', abort, { once: true });
	deadline.addEventListener('abort', abort, { once: true });
	const release = () => {
		cancelSignal.removeEventListener('abort', abort);
		deadline.removeEventListener('abort', abort);
	};
	return { signal: either.signal, release };
}

type Sent = { response: IN8nHttpFullResponse } | { verdict: Verdict; httpStatus?: number | null };

/** The requests n8n's OAuth2 handling sent to the API itself within one attempt (token requests are not among them). */
interface ApiCalls {
	count: number;
	/** The HTTP status of the last one that failed with an answer. */
	lastStatus: number | undefined;
}

/**
 * n8n's OAuth2 handling fetches a token when it holds none, sends the request through the context's
 * `helpers.httpRequest`, and after a 401 fetches a new token and sends once more. Its errors reach
 * the node wrapped alike, whether the API or the token endpoint answered: the attempt counts the
 * requests that went to the API, so a token endpoint's answer is never read as the API's, and keeps
 * every token they carried secret.
 */
function watchedHelpers(
	context: IExecuteFunctions,
	api: ApiCalls,
	link: VendorLink,
	signal: AbortSignal,
): IExecuteFunctions['helpers'] {
	const { helpers } = context;
	return Object.create(helpers, {
		httpRequest: {
			value: async (options: IHttpRequestOptions) => {
				// After the deadline (a token that came too late) the request is cancelled before it leaves.
				if (!signal.aborted) api.count++;
				keepSentToken(options, link);
				// The failure goes on to n8n untouched (it renews the token after a 401); only its status is noted.
				const answered = helpers.httpRequest(options);
				answered.catch((error: { response?: { status?: unknown } }) => {
					const status = error?.response?.status;
					api.lastStatus = typeof status === 'number' ? status : undefined;
				});
				return await answered;
			},
		},
	}) as IExecuteFunctions['helpers'];
}

/**
 * The attempt failed at the token endpoint: no request reached the API, or the API answered 401 and
 * the new token n8n asked for never came (with one, n8n sends the request again).
 */
function tokenStepFailed(api: ApiCalls): boolean {
	return api.count === 0 || (api.count === 1 && api.lastStatus === 401);
}

function readAnswer(
	response: IN8nHttpFullResponse,
	interpret: (answer: VendorAnswer) => Verdict,
	link: VendorLink,
): { verdict: Verdict; answer: VendorAnswer } {
	const answer: VendorAnswer = {
		statusCode: response.statusCode,
		headers: response.headers ?? {},
		body: redactDeep(parseBody(response.body), link.redact),
	};
	if (answer.statusCode >= 300 && answer.statusCode < 400) return { answer, verdict: redirected(answer.statusCode) };
	return { answer, verdict: interpret(answer) };
}

/** The vendor's response, or the verdict on an attempt that got none (cancelled, timed out, network). */
async function send(
	context: IExecuteFunctions,
	request: VendorRequest,
	link: VendorLink,
	timeoutMs: number,
	readOnly: boolean,
): Promise<Sent> {
	// Request Timeout bounds the whole attempt, not only the silence between two bytes. n8n's helper
	// replaces a request's abort signal by the context's execution-cancel signal, so the attempt runs
	// in a context whose cancel signal also fires at the deadline.
	const deadline = AbortSignal.timeout(timeoutMs);
	const { signal, release } = eitherSignal(deadline, link.cancelSignal);
	const api: ApiCalls = { count: 0, lastStatus: undefined };
	const attemptContext = Object.create(context, {
		getExecutionCancelSignal: { value: () => signal },
		...(link.oAuth2 ? { helpers: { value: watchedHelpers(context, api, link, signal) } } : {}),
	}) as IExecuteFunctions;
	try {
		const pending = context.helpers.httpRequestWithAuthentication.call(attemptContext, link.credentialType, {
			method: request.method,
			url: request.url,
			qs: request.qs,
			...encodeBody(request),
			returnFullResponse: true,
			ignoreHttpStatusErrors: !link.oAuth2,
			disableFollowRedirect: true,
			timeout: timeoutMs,
			abortSignal: signal,
		});
		// n8n's OAuth2 token request does not take the signal: a token endpoint that never answers
		// would hold the attempt past its deadline.
		const response = (await untilAborted(pending, signal)) as IN8nHttpFullResponse;
		return { response };
	} catch (error) {
		if (link.cancelSignal?.aborted) return { verdict: cancelledUnderWay(readOnly) };
		const timedOut = deadline.aborted;
		if (link.oAuth2 && tokenStepFailed(api)) {
			const verdict = tokenEndpointFailure(error, link, api.count > 0, timedOut ? timeoutMs : undefined);
			return { verdict, httpStatus: api.lastStatus ?? null };
		}
		if (timedOut) return { verdict: noAnswer(request.url, timeoutMs, readOnly) };
		const carried = link.oAuth2 ? oAuth2Answer(error) : undefined;
		return carried ?? { verdict: networkVerdict(error, request.url, timeoutMs, readOnly) };
	} finally {
		release();
	}
}

/** The request's outcome, or a rejection as soon as the signal fires. */
function untilAborted<T>(request: Promise<T>, signal: AbortSignal): Promise<T> {
	request.catch(() => undefined);
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const abort = () => reject(signal.reason);
		signal.addEventListener('abort', abort, { once: true });
		request.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
	});
}

function cancelledUnderWay(readOnly: boolean): Verdict {
	return {
		ok: false,
		reason: 'no_answer',
		message: readOnly
			? 'The execution was cancelled while this read-only request was under way: nothing was changed.'
			: 'The execution was cancelled while the request was under way: the vendor may have processed it.',
	};
}

function redirected(statusCode: number): Verdict {
	return {
		ok: false,
		reason: 'unexpected_response',
		message: `The vendor redirected the request (HTTP ${statusCode}). Redirects are not followed, so credentials never go to another address: check the base URL.`,
	};
}

/**
 * With OAuth2, n8n's request helper throws on an error status of the API (it renews the token after
 * a 401 and sends again), wrapping the answer in a NodeApiError that keeps only the status and a
 * JSON object body: response headers, such as Retry-After, are lost.
 */
function oAuth2Answer(error: unknown): { response: IN8nHttpFullResponse } | undefined {
	const { httpCode, context } = error as { httpCode?: unknown; context?: { data?: unknown } };
	if (typeof httpCode !== 'string' || !/^\d{3}$/.test(httpCode)) return undefined;
	return {
		response: { statusCode: Number(httpCode), headers: {}, body: context?.data as IN8nHttpFullResponse['body'] },
	};
}

const TOKEN_HINT =
	'Check the OAuth2 credential: the client ID and secret of the Connected App, and its region or token URL.';

/**
 * The token endpoint failed, so the request never reached the API (or, after the API refused the
 * token with 401, was not sent again). n8n's OAuth2 client reports an OAuth error body as EAUTH, any
 * other answer it cannot use by its HTTP status (ESTATUS, or the status itself), a 2xx without a
 * token by the signing error, and a network failure by its code.
 */
function tokenEndpointFailure(
	error: unknown,
	{ tokenHost, vendorName }: VendorLink,
	renewing: boolean,
	timedOutAfterMs?: number,
): Verdict {
	const { httpCode, message: raw } = error as { httpCode?: unknown; message?: unknown };
	const detail = String(raw ?? '')
		.replace(/\.$/, '')
		.trim();
	const endpoint = `the OAuth2 token endpoint${tokenHost ? ` (${tokenHost})` : ''}`;
	const code = typeof httpCode === 'string' ? httpCode : findErrorCode(error);
	const status = code && /^\d{3}$/.test(code) ? Number(code) : undefined;
	let what = `gave no token${detail ? ` (${detail})` : ''}`;
	let reason: FailureReason = 'authentication';
	let retryable: boolean | undefined;
	if (timedOutAfterMs !== undefined) {
		what = `did not answer within ${timedOutAfterMs} ms (Request Timeout option)`;
		reason = 'network';
		retryable = true;
	} else if (code === 'EAUTH') what = `refused to issue a token: ${detail || 'no reason given'}`;
	else if (status !== undefined && status >= 300 && status < 400)
		what = `answered with a redirect (HTTP ${status}), which is not a token`;
	else if (status !== undefined) {
		// n8n's message for an error status only restates it; for a 2xx it says why there is no token.
		what =
			status < 300
				? `answered HTTP ${status} without a token${detail ? ` (${detail})` : ''}`
				: `answered HTTP ${status}`;
		if (status === 429) reason = 'rate_limited';
		else if (status >= 500) reason = 'vendor_unavailable';
	} else if (code && /^E[A-Z_]+$/.test(code) && code !== 'ESTATUS') {
		what = `could not be reached (${code})`;
		reason = 'network';
		retryable = NETWORK_PROBLEMS[code]?.retryable ?? true;
	}
	const api = `${vendorName}'s API`;
	const lead = renewing
		? `${api} refused the token (HTTP 401), and when n8n asked ${endpoint} for a new one, it ${what}. The request was not sent again; a 401 changes nothing.`
		: `${api} was never reached: n8n asked ${endpoint} for a token, and it ${what}. Nothing was sent to ${api}.`;
	return {
		ok: false,
		reason,
		message: lead,
		hint:
			reason === 'authentication'
				? TOKEN_HINT
				: `${endpoint[0].toUpperCase()}${endpoint.slice(1)} did not answer usefully; the request is retried like any outage (Max Attempts).`,
		credentialRefused: reason === 'authentication',
		...(retryable === undefined ? {} : { retryable }),
	};
}

/** The OAuth2 token n8n holds now (it may have fetched or renewed it during this attempt) is hidden too. */
async function keepCurrentToken(context: IExecuteFunctions, link: VendorLink): Promise<void> {
	const { oauthTokenData } = await context.getCredentials(link.credentialType);
	link.keepSecret?.((oauthTokenData as { access_token?: unknown } | undefined)?.access_token);
}

/** The token a request carries in its Authorization header (`Bearer <token>`). */
function keepSentToken(options: IHttpRequestOptions, link: VendorLink): void {
	const headers = (options.headers ?? {}) as Record<string, unknown>;
	const authorization = headers.Authorization ?? headers.authorization;
	if (typeof authorization === 'string') link.keepSecret?.(authorization.replace(/^Bearer\s+/i, ''));
}

function encodeBody(request: VendorRequest) {
	if (request.body === undefined) return { json: true };
	if (request.bodyEncoding !== 'form') return { body: request.body, json: true };
	const form = new URLSearchParams();
	for (const [name, value] of Object.entries(request.body)) form.append(name, String(value));
	return {
		body: form.toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
	};
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string' && !(body instanceof Buffer)) return body;
	const text = body.toString();
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function noAnswer(url: string, timeoutMs: number, readOnly: boolean): Verdict {
	const late = `${new URL(url).host} did not answer within ${timeoutMs} ms (Request Timeout option)`;
	return {
		ok: false,
		reason: 'no_answer',
		message: readOnly
			? `The read-only request was sent, but ${late}. It changes nothing, so nothing was changed; run it again later.`
			: `The request was sent, but ${late}: the vendor may have processed it.`,
	};
}

const CERTIFICATE_PROBLEMS: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'presents a self-signed certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'presents a certificate chain with a self-signed certificate',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'presents a certificate that cannot be verified',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'presents a certificate from an unknown issuer',
	CERT_HAS_EXPIRED: 'presents an expired certificate',
	CERT_NOT_YET_VALID: 'presents a certificate that is not valid yet',
	ERR_TLS_CERT_ALTNAME_INVALID: 'presents a certificate for another host name',
	EPROTO: 'did not complete a TLS handshake (is it plain HTTP, or a proxy?)',
	ERR_SSL_WRONG_VERSION_NUMBER: 'did not complete a TLS handshake (is it plain HTTP, or a proxy?)',
};

const NETWORK_PROBLEMS: Record<string, { message: string; retryable: boolean }> = {
	ECONNREFUSED: { message: 'The vendor refused the connection', retryable: true },
	ECONNRESET: { message: 'The connection was reset before the vendor answered', retryable: true },
	EPIPE: { message: 'The connection was closed while sending', retryable: true },
	ETIMEDOUT: { message: 'The connection timed out', retryable: true },
	ESOCKETTIMEDOUT: { message: 'The connection timed out', retryable: true },
	EAI_AGAIN: { message: 'The vendor host name could not be resolved right now', retryable: true },
	ENOTFOUND: { message: 'The vendor host name does not exist: check the base URL', retryable: false },
};

function networkVerdict(error: unknown, url: string, timeoutMs: number, readOnly: boolean): Verdict {
	const code = findErrorCode(error);
	const host = new URL(url).host;
	if (code === 'ECONNABORTED' || /timeout/i.test(errorMessage(error))) return noAnswer(url, timeoutMs, readOnly);
	const certificate = code ? CERTIFICATE_PROBLEMS[code] : undefined;
	if (certificate) {
		return {
			ok: false,
			reason: 'network',
			retryable: false,
			message: `Nothing was sent: ${host} ${certificate} (${code}). Retrying cannot help: check the base URL, or the proxy between n8n and the vendor.`,
		};
	}
	const known = code ? NETWORK_PROBLEMS[code] : undefined;
	if (known) {
		return {
			ok: false,
			reason: 'network',
			message: `${known.message} (${host}, ${code}).`,
			retryable: known.retryable,
		};
	}
	return {
		ok: false,
		reason: 'network',
		message: `The request to ${host} failed before an answer arrived (${code ?? errorMessage(error)}).`,
	};
}

function findErrorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 4; depth++) {
		// n8n's request helper wraps socket errors in a NodeApiError that keeps the code as httpCode.
		const { code, httpCode } = current as { code?: unknown; httpCode?: unknown };
		for (const candidate of [code, httpCode]) {
			if (typeof candidate === 'string' && (/^E[A-Z_]+$/.test(candidate) || candidate in CERTIFICATE_PROBLEMS)) {
				return candidate;
			}
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
