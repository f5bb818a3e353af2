import type { IExecuteFunctions } from 'n8n-workflow';

import type { OptionDefaults } from '../description/options';
import type { ReceiptSettings } from '../receipts/buildReceipt';
import type { Regulation } from '../receipts/deadline';
import type { IdentifierForm } from '../types/receipt';
import { InvalidValueError, quoteBounded } from '../input/invalidValueError';

/** The node's Options as one run uses them, with the operation's defaults and every bound applied. */
export interface ErasureSettings extends ReceiptSettings {
	targetsPerRequest: number;
	requestsPerBatch: number;
	batchIntervalMs: number;
	maxConcurrentRequests: number;
	maxRequestsPerSecond: number;
	maxAttempts: number;
	maxRetryWaitMs: number;
	requestTimeoutMs: number;
	dryRun: boolean;
	/** An option that cannot be used (Request Timeout, Days to Respond or Extension Days out of range): nothing is sent, every item fails naming it. */
	optionFault?: InvalidValueError;
}

/** The range Days to Respond and Extension Days accept: a whole number of calendar days, at most about ten years. */
const DAYS_TO_RESPOND = { min: 1, max: 3650 };

function wholeDays(days: unknown): days is number {
	return (
		typeof days === 'number' && Number.isInteger(days) && days >= DAYS_TO_RESPOND.min && days <= DAYS_TO_RESPOND.max
	);
}

function daysFault(field: string, days: unknown): InvalidValueError {
	return new InvalidValueError(
		field,
		`must be a whole number of days from ${DAYS_TO_RESPOND.min} to ${DAYS_TO_RESPOND.max}, got ${typeof days === 'number' ? days : quoteBounded(String(days))}`,
	);
}

/** The range Request Timeout accepts: up to an hour (Node's timers cannot count beyond about 24.8 days). */
const REQUEST_TIMEOUT_MS = { min: 1, max: 3_600_000 };

function withinRequestTimeout(timeoutMs: unknown): timeoutMs is number {
	return (
		typeof timeoutMs === 'number' &&
		Number.isInteger(timeoutMs) &&
		timeoutMs >= REQUEST_TIMEOUT_MS.min &&
		timeoutMs <= REQUEST_TIMEOUT_MS.max
	);
}

function requestTimeoutFault(timeoutMs: unknown): InvalidValueError {
	return new InvalidValueError(
		'Request Timeout (Milliseconds)',
		`must be a whole number of milliseconds from ${REQUEST_TIMEOUT_MS.min} to ${REQUEST_TIMEOUT_MS.max} (one hour), got ${typeof timeoutMs === 'number' ? timeoutMs : quoteBounded(String(timeoutMs))}`,
	);
}

export function readErasureSettings(context: IExecuteFunctions, defaults: OptionDefaults): ErasureSettings {
	const option = <T>(name: string, fallback: T): T => context.getNodeParameter(`options.${name}`, 0, fallback) as T;
	const perRequestMax = defaults.targetsPerRequest?.max ?? 1;
	const regulation = option<Regulation>('regulation', 'gdpr');
	const days = option<unknown>('daysToRespond', 30);
	const daysUsable = wholeDays(days);
	const extensionDays = option<unknown>('extensionDays', 30);
	const extensionDaysUsable = wholeDays(extensionDays);
	const requestTimeout = option<unknown>('requestTimeout', 30000);
	const requestTimeoutUsable = withinRequestTimeout(requestTimeout);
	// Refused, never clamped: a deadline counted from another number of days would not be the one asked for.
	const optionFault = !requestTimeoutUsable
		? requestTimeoutFault(requestTimeout)
		: regulation !== 'custom'
			? undefined
			: !daysUsable
				? daysFault('Days to Respond', days)
				: !extensionDaysUsable
					? daysFault('Extension Days', extensionDays)
					: undefined;
	return {
		targetsPerRequest: clamp(option('customersPerRequest', defaults.targetsPerRequest?.default ?? 1), 1, perRequestMax),
		requestsPerBatch: defaults.targetsPerRequest
			? 1
			: Math.max(1, option('itemsPerBatch', defaults.itemsPerBatch ?? 1)),
		batchIntervalMs: Math.max(0, option('batchInterval', defaults.batchIntervalMs)),
		maxConcurrentRequests: clamp(option('maxConcurrentRequests', defaults.maxConcurrentRequests ?? 1), 1, 20),
		maxRequestsPerSecond: Math.max(0, option('maxRequestsPerSecond', defaults.maxRequestsPerSecond ?? 0)),
		maxAttempts: clamp(option('maxAttempts', 5), 1, 10),
		maxRetryWaitMs: Math.max(0, option('maxRetryWait', 60000)),
		requestTimeoutMs: requestTimeoutUsable ? requestTimeout : 30000,
		dryRun: option('dryRun', false),
		identifierForm: option<IdentifierForm>('identifierInOutput', 'masked'),
		includeRecords: option('includeRecords', false),
		deadlineRule: {
			regulation,
			days: daysUsable ? days : 30,
			extensionDays: extensionDaysUsable ? extensionDays : 30,
			timeZone: context.getTimezone(),
		},
		...(optionFault ? { optionFault } : {}),
	};
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, Math.floor(value)));
}
