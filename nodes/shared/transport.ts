import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { VendorAnswer, VendorRequest, Verdict } from './erasureOperation';
import type { RateGate } from './pacer';
import type { FailureReason } from './receipt';
import { backoffDelayMs, retryAfterMs } from './retry';

export interface DeliveryPolicy {
	credentialType: string;
	maxAttempts: number;
	maxRetryWaitMs: number;
	requestTimeoutMs: number;
	gate: RateGate;
}

export interface Delivery {
	verdict: Verdict;
	httpStatus: number | null;
	attempts: number;
	requestedAt: string;
}

const RETRIED_REASONS = new Set<FailureReason>(['rate_limited', 'vendor_unavailable', 'network']);

/** Sends one request, retrying what is safe to retry, and returns the final verdict. */
export async function deliver(
	context: IExecuteFunctions,
	request: VendorRequest,
	interpret: (answer: VendorAnswer) => Verdict,
	policy: DeliveryPolicy,
): Promise<Delivery> {
	const requestedAt = new Date().toISOString();
	for (let attempts = 1; ; attempts++) {
		await policy.gate.acquire();
		const { verdict, answer } = await attempt(context, request, interpret, policy);
		const httpStatus = answer?.statusCode ?? null;
		const retryable = !verdict.ok && (verdict.retryable ?? RETRIED_REASONS.has(verdict.reason));
		if (!retryable || attempts >= policy.maxAttempts) {
			return { verdict, httpStatus, attempts, requestedAt };
		}
		const askedWaitMs = answer ? retryAfterMs(answer.headers) : undefined;
		if (askedWaitMs !== undefined && askedWaitMs > policy.maxRetryWaitMs) {
			const tooLong: Verdict = {
				...verdict,
				message: `${verdict.message} The vendor asked to wait ${Math.ceil(askedWaitMs / 1000)} s before retrying, longer than the Max Retry Wait option allows.`,
			};
			return { verdict: tooLong, httpStatus, attempts, requestedAt };
		}
		await sleep(askedWaitMs ?? backoffDelayMs(attempts, policy.maxRetryWaitMs));
	}
}

async function attempt(
	context: IExecuteFunctions,
	request: VendorRequest,
	interpret: (answer: VendorAnswer) => Verdict,
	policy: DeliveryPolicy,
): Promise<{ verdict: Verdict; answer?: VendorAnswer }> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			policy.credentialType,
			{
				method: request.method,
				url: request.url,
				qs: request.qs,
				...encodeBody(request),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: policy.requestTimeoutMs,
			},
		)) as IN8nHttpFullResponse;
	} catch (error) {
		return { verdict: networkVerdict(error, request.url, policy.requestTimeoutMs) };
	}
	const answer: VendorAnswer = {
		statusCode: response.statusCode,
		headers: response.headers ?? {},
		body: parseBody(response.body),
	};
	if (answer.statusCode >= 300 && answer.statusCode < 400) {
		return {
			answer,
			verdict: {
				ok: false,
				reason: 'unexpected_response',
				message: `The vendor redirected the request (HTTP ${answer.statusCode}). Redirects are not followed, so credentials never go to another address: check the base URL.`,
			},
		};
	}
	return { answer, verdict: interpret(answer) };
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

const NETWORK_PROBLEMS: Record<string, { message: string; retryable: boolean }> = {
	ECONNREFUSED: { message: 'The vendor refused the connection', retryable: true },
	ECONNRESET: { message: 'The connection was reset before the vendor answered', retryable: true },
	EPIPE: { message: 'The connection was closed while sending', retryable: true },
	ETIMEDOUT: { message: 'The connection timed out', retryable: true },
	ESOCKETTIMEDOUT: { message: 'The connection timed out', retryable: true },
	EAI_AGAIN: { message: 'The vendor host name could not be resolved right now', retryable: true },
	ENOTFOUND: { message: 'The vendor host name does not exist: check the base URL', retryable: false },
};

function networkVerdict(error: unknown, url: string, timeoutMs: number): Verdict {
	const code = findErrorCode(error);
	const host = new URL(url).host;
	if (code === 'ECONNABORTED' || /timeout/i.test(errorMessage(error))) {
		return {
			ok: false,
			reason: 'network',
			message: `${host} did not answer within ${timeoutMs} ms (Request Timeout option).`,
		};
	}
	const known = code ? NETWORK_PROBLEMS[code] : undefined;
	if (known) {
		return { ok: false, reason: 'network', message: `${known.message} (${host}, ${code}).`, retryable: known.retryable };
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
			if (typeof candidate === 'string' && /^E[A-Z_]+$/.test(candidate)) return candidate;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
