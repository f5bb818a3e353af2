import type { INodeProperties } from 'n8n-workflow';

/** Which pacing knobs an operation offers, with defaults safe for its vendor. */
export interface OptionDefaults {
	/** Bulk operations: how many people one request carries. */
	targetsPerRequest?: { default: number; max: number };
	/** Per-person operations: how many requests make one batch. */
	itemsPerBatch?: number;
	batchIntervalMs: number;
	maxConcurrentRequests?: number;
	maxRequestsPerSecond?: number;
}

/** Every receipt says when the request arrived and by when it must be complete. */
const DEADLINE_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Request Received At',
		name: 'receivedAt',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.submittedAt }}',
		description:
			"When the person's request arrived: an ISO 8601 date or date-time (e.g. the form's submission time or a ticket field), or a Unix time in milliseconds. Empty: the time this node runs. The deadline (dueBy on every receipt) is counted from its date in the workflow's time zone (Workflow Settings > Timezone), else n8n's GENERIC_TIMEZONE (default America/New_York).",
	},
	{
		displayName: 'Regulation',
		name: 'regulation',
		type: 'options',
		options: [
			{
				name: 'GDPR (One Month)',
				value: 'gdpr',
				description: 'Art. 12(3): one month from receipt, to the same date of the next month (or its last day).',
			},
			{ name: 'CCPA/CPRA (45 Days)', value: 'ccpa', description: '45 calendar days from receipt' },
			{ name: 'Custom', value: 'custom', description: 'The number of days set in Days to Respond' },
		],
		default: 'gdpr',
		description:
			"The law whose deadline dueBy shows, counted in calendar days in the workflow's time zone (Workflow Settings > Timezone), else n8n's GENERIC_TIMEZONE (default America/New_York). To extend it (GDPR: two further months, CCPA/CPRA: 45 further days), fill in Extension Reason.",
	},
	{
		displayName: 'Days to Respond',
		name: 'daysToRespond',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3650 },
		default: 30,
		description: 'Only with Regulation: Custom. Calendar days after the day of receipt, from 1 to 3650.',
	},
	{
		displayName: 'Extension Reason',
		name: 'extensionReason',
		type: 'string',
		default: '',
		placeholder: 'e.g. Data held in several archived systems',
		description:
			"Empty: no extension. Filled in: the deadline is extended and dueBy moves (originalDueBy keeps the first date): GDPR Art. 12(3) by two further months (the same date three months after receipt, or that month's last day), CCPA/CPRA by 45 further days after the original due date, Custom by Extension Days. The reason is kept on every receipt, with Person Told of Extension On, and overdue counts from the extended date.",
	},
	{
		displayName: 'Person Told of Extension On',
		name: 'extensionToldOn',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.extensionNoticeSentAt }}',
		description:
			"Required with Extension Reason: the day the person was told of the extension and its reason, an ISO 8601 date or date-time, read in the workflow's time zone (Workflow Settings > Timezone), else n8n's GENERIC_TIMEZONE (default America/New_York). It must be on or before the original due date (GDPR: within the first month, CCPA/CPRA: within the first 45 days) and not in the future; otherwise the item is not sent.",
	},
	{
		displayName: 'Extension Days',
		name: 'extensionDays',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3650 },
		default: 30,
		description:
			'Only with Regulation: Custom and an Extension Reason. Calendar days added after the original due date, from 1 to 3650.',
	},
];

const IDENTIFIER_IN_OUTPUT: INodeProperties = {
	displayName: 'Identifier in Output',
	name: 'identifierInOutput',
	type: 'options',
	options: [
		{
			name: 'As Given',
			value: 'asGiven',
			description: 'Keep the identifier as it was given, e.g. jane.doe@example.com',
		},
		{
			name: 'Masked',
			value: 'masked',
			description: 'Show only enough to recognise it, e.g. j***@example.com',
		},
		{
			name: 'SHA-256 Hash',
			value: 'sha256',
			description:
				'Replace it by the SHA-256 hash of the value as sent, so a request log can be matched without keeping the personal data',
		},
	],
	default: 'masked',
	description:
		'How identifiers appear in the receipts (and in the dry-run requests), so execution logs need not keep the personal data being erased',
};

const RETRY_AND_OUTPUT_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only validate the items and show the exact requests that would be sent, without sending anything',
	},
	IDENTIFIER_IN_OUTPUT,
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10 },
		default: 5,
		description:
			'How often one request is tried in total when the vendor asks to slow down, has a fault of its own, cannot be reached or does not answer. Other errors are never retried. The default suits the vendor. Prefer this to the node setting "Retry On Fail", which re-runs the whole node and re-sends requests that already succeeded.',
	},
	{
		displayName: 'Max Retry Wait (Milliseconds)',
		name: 'maxRetryWait',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60000,
		description:
			'The longest wait before a retry, in milliseconds. When the vendor asks for a longer wait, that request fails instead.',
	},
	{
		displayName: 'Request Timeout (Milliseconds)',
		name: 'requestTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30000,
		description: 'How long to wait for the vendor to answer one request, in milliseconds',
	},
];

const INCLUDE_RECORDS: INodeProperties = {
	displayName: 'Include Found Records',
	name: 'includeRecords',
	type: 'boolean',
	default: false,
	description:
		"Whether to output the records found, not only how many. Every value in them (names, contact details, customer numbers, comments, IDs) is shown in the form chosen by Identifier in Output; with As Given, that personal data is stored in clear text in n8n's execution log.",
};

const CUSTOMERS_PER_REQUEST: INodeProperties = {
	displayName: 'Customers per Request',
	name: 'customersPerRequest',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1,
	description: "How many customers one request carries. The default, the vendor's maximum, sends the fewest requests.",
};

const ITEMS_PER_BATCH: INodeProperties = {
	displayName: 'Items per Batch',
	name: 'itemsPerBatch',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1,
	description:
		'Only with a Pause Between Batches: how many requests go out before each pause. Without a pause this does nothing: Max Requests per Second paces the requests.',
};

const BATCH_INTERVAL: INodeProperties = {
	displayName: 'Pause Between Batches (Milliseconds)',
	name: 'batchInterval',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		'A pause after every Items per Batch requests, in milliseconds (0: no pauses; Max Requests per Second still applies)',
};

const MAX_CONCURRENT_REQUESTS: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrentRequests',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 20 },
	default: 1,
	description: 'How many requests may be waiting for the vendor at the same time. The default suits the vendor.',
};

const MAX_REQUESTS_PER_SECOND: INodeProperties = {
	displayName: 'Max Requests per Second',
	name: 'maxRequestsPerSecond',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		"Upper limit on requests started in any second, retries and look-ups included (0 for no limit). The default suits the vendor's limit.",
};

/**
 * The "Options" collection of an operation, with its vendor's defaults and its own options. A
 * read-only operation (a preview or search) changes nothing, so it has no Dry Run, and it outputs
 * the records it found only when asked to. A verification changes nothing and outputs only counts.
 */
export function erasureOptions(
	defaults: OptionDefaults,
	operationOptions: INodeProperties[] = [],
	kind: 'erasure' | 'readOnly' | 'verification' = 'erasure',
): INodeProperties {
	const pacing: INodeProperties[] = [];
	if (defaults.targetsPerRequest) {
		const { max } = defaults.targetsPerRequest;
		pacing.push({
			...CUSTOMERS_PER_REQUEST,
			typeOptions: { minValue: 1, maxValue: max },
			default: defaults.targetsPerRequest.default,
			description: `${CUSTOMERS_PER_REQUEST.description} (at most ${max})`,
		});
		pacing.push({
			...BATCH_INTERVAL,
			default: defaults.batchIntervalMs,
			description:
				'A pause between two requests, in milliseconds (0: none; Max Requests per Second still applies). Each request is one batch: Customers per Request sets how many people it carries.',
		});
	} else {
		pacing.push({ ...ITEMS_PER_BATCH, default: defaults.itemsPerBatch ?? 1 });
		pacing.push({ ...BATCH_INTERVAL, default: defaults.batchIntervalMs });
	}
	if (defaults.maxConcurrentRequests !== undefined) {
		pacing.push({ ...MAX_CONCURRENT_REQUESTS, default: defaults.maxConcurrentRequests });
	}
	if (defaults.maxRequestsPerSecond !== undefined) {
		pacing.push({ ...MAX_REQUESTS_PER_SECOND, default: defaults.maxRequestsPerSecond });
	}
	return optionsCollection([
		...pacing,
		...DEADLINE_OPTIONS,
		...(kind === 'erasure'
			? RETRY_AND_OUTPUT_OPTIONS
			: RETRY_AND_OUTPUT_OPTIONS.filter((option) => option.name !== 'dryRun')),
		...(kind === 'readOnly' ? [INCLUDE_RECORDS] : []),
		...operationOptions,
	]);
}

/** The "Options" of an operation that sends nothing: only what its receipts show. */
export function receiptOptions(): INodeProperties {
	return optionsCollection([...DEADLINE_OPTIONS, IDENTIFIER_IN_OUTPUT]);
}

function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
