import type { IExecuteFunctions } from 'n8n-workflow';

import type { OptionDefaults } from '../description/options';
import type { DeadlineRule, Regulation } from '../receipts/deadline';
import type { IdentifierForm } from '../receipts/receipt';

/** The node's Options as one run uses them, with the operation's defaults and every bound applied. */
export interface ErasureSettings {
	targetsPerRequest: number;
	requestsPerBatch: number;
	batchIntervalMs: number;
	maxConcurrentRequests: number;
	maxRequestsPerSecond: number;
	maxAttempts: number;
	maxRetryWaitMs: number;
	requestTimeoutMs: number;
	dryRun: boolean;
	identifierForm: IdentifierForm;
	/** Read-only look-ups: output the records found, not only their count. */
	includeRecords: boolean;
	deadlineRule: DeadlineRule;
}

export function readErasureSettings(
	context: IExecuteFunctions,
	defaults: OptionDefaults,
): ErasureSettings {
	const option = <T>(name: string, fallback: T): T =>
		context.getNodeParameter(`options.${name}`, 0, fallback) as T;
	const perRequestMax = defaults.targetsPerRequest?.max ?? 1;
	return {
		targetsPerRequest: clamp(
			option('customersPerRequest', defaults.targetsPerRequest?.default ?? 1),
			1,
			perRequestMax,
		),
		requestsPerBatch: defaults.targetsPerRequest
			? 1
			: Math.max(1, option('itemsPerBatch', defaults.itemsPerBatch ?? 1)),
		batchIntervalMs: Math.max(0, option('batchInterval', defaults.batchIntervalMs)),
		maxConcurrentRequests: clamp(
			option('maxConcurrentRequests', defaults.maxConcurrentRequests ?? 1),
			1,
			20,
		),
		maxRequestsPerSecond: Math.max(0, option('maxRequestsPerSecond', defaults.maxRequestsPerSecond ?? 0)),
		maxAttempts: clamp(option('maxAttempts', 5), 1, 10),
		maxRetryWaitMs: Math.max(0, option('maxRetryWait', 60000)),
		requestTimeoutMs: Math.max(1, option('requestTimeout', 30000)),
		dryRun: option('dryRun', false),
		identifierForm: option<IdentifierForm>('identifierInOutput', 'masked'),
		includeRecords: option('includeRecords', false),
		deadlineRule: {
			regulation: option<Regulation>('regulation', 'gdpr'),
			days: clamp(option('daysToRespond', 30), 1, 3650),
			timeZone: context.getTimezone(),
		},
	};
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, Math.floor(value)));
}
