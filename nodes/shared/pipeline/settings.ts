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

/** A whole number an option must be, and its bounds: refused outside them, never clamped. */
interface WholeNumberRange {
	unit: string;
	min: number;
	max: number;
	/** The maximum in words, after the number. */
	maxInWords?: string;
}

/** Days to Respond and Extension Days: calendar days, at most about ten years. */
const DAYS: WholeNumberRange = { unit: 'days', min: 1, max: 3650 };
/** Request Timeout: up to an hour (Node's timers cannot count beyond about 24.8 days). */
const REQUEST_TIMEOUT: WholeNumberRange = { unit: 'milliseconds', min: 1, max: 3_600_000, maxInWords: 'one hour' };

function within(range: WholeNumberRange, value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
}

function outOfRange(field: string, range: WholeNumberRange, value: unknown): InvalidValueError {
	const max = range.maxInWords ? `${range.max} (${range.maxInWords})` : range.max;
	const got = typeof value === 'number' ? value : quoteBounded(String(value));
	return new InvalidValueError(
		field,
		`must be a whole number of ${range.unit} from ${range.min} to ${max}, got ${got}`,
	);
}

export function readErasureSettings(context: IExecuteFunctions, defaults: OptionDefaults): ErasureSettings {
	const option = <T>(name: string, fallback: T): T => context.getNodeParameter(`options.${name}`, 0, fallback) as T;
	const perRequestMax = defaults.targetsPerRequest?.max ?? 1;
	const regulation = option<Regulation>('regulation', 'gdpr');
	const days = option<unknown>('daysToRespond', 30);
	const daysUsable = within(DAYS, days);
	const extensionDays = option<unknown>('extensionDays', 30);
	const extensionDaysUsable = within(DAYS, extensionDays);
	const requestTimeout = option<unknown>('requestTimeout', 30000);
	const requestTimeoutUsable = within(REQUEST_TIMEOUT, requestTimeout);
	// Refused, never clamped: a deadline counted from another number of days would not be the one asked for.
	const optionFault = !requestTimeoutUsable
		? outOfRange('Request Timeout (Milliseconds)', REQUEST_TIMEOUT, requestTimeout)
		: regulation !== 'custom'
			? undefined
			: !daysUsable
				? outOfRange('Days to Respond', DAYS, days)
				: !extensionDaysUsable
					? outOfRange('Extension Days', DAYS, extensionDays)
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
