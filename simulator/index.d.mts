/** Types of the vendor simulator (index.mjs), for the TypeScript tests and benchmarks. */

export type VendorName = 'bloomreach' | 'customerGauge' | 'blueshift';

export interface Credentials {
	bloomreach: {
		projectToken: string;
		apiKeyId: string;
		apiSecret: string;
		/** A private key without the permission GDPR > Anonymize customer: 403 "No permission". */
		readOnlyKeyId: string;
		readOnlySecret: string;
	};
	customerGauge: { apiKey: string; clientId: string; clientSecret: string };
	blueshift: { userApiKey: string; eventApiKey: string };
}

export type PerVendor<T> = T | Partial<Record<VendorName | 'default', T>>;

/** Requests per second (burst as many), `{ perSecond, burst }`, or `false` for no limit. */
export type RateLimit = number | false | { perSecond: number; burst?: number };

export type FaultKind = 'status' | 'reset' | 'slow' | 'html' | 'empty' | 'truncated';

export interface FaultRule {
	vendor?: VendorName;
	/** bloomreach: anonymize_bulk | anonymize | consent_categories; customerGauge: anonymize | preview | anonymize_v6 | token; blueshift: delete | forget | search */
	endpoint?: string;
	kind: FaultKind;
	/** How many matching requests fail (default 1). */
	times?: number | 'always';
	/** How many matching requests pass before the first fails (default 0). */
	after?: number;
	/** status (required for kind status), html (default 502), empty (default 200). */
	status?: number;
	/** kind status: an object is sent as JSON, a string as text/plain; default the vendor's error shape. */
	body?: unknown;
	headers?: Record<string, string>;
	/** kind slow: how long the answer is held back (default 10 000). */
	delayMs?: number;
	/** status, reset, html, empty: carry out the request before replacing the answer (default false). */
	afterProcessing?: boolean;
}

export interface ConfigPatch {
	latencyMs?: PerVendor<number>;
	rateLimits?: false | PerVendor<RateLimit>;
	requestLog?: 'full' | 'counts';
	/** tokenLifetimeMs: how long an OAuth2 token is accepted (CustomerGauge: one hour). */
	customerGauge?: { errorStatus?: 200 | 400; tokenLifetimeMs?: number };
	blueshift?: { deletionDelayMs?: number; searchNoMatch?: 'empty' | '404' };
}

export interface SimulatorOptions extends ConfigPatch {
	/** 0 (default) picks a free port. Always bound to 127.0.0.1. */
	port?: number;
	credentials?: { [V in VendorName]?: Partial<Credentials[V]> };
	/** Synthetic people per vendor on top of the fixtures; see generatedIdentity. */
	generated?: Partial<Record<VendorName, number>>;
	faults?: FaultRule[];
}

export interface Config {
	latencyMs: Record<VendorName, number>;
	rateLimits: Record<VendorName, { perSecond: number; burst: number } | null>;
	requestLog: 'full' | 'counts';
	customerGauge: { errorStatus: 200 | 400; tokenLifetimeMs: number };
	blueshift: { deletionDelayMs: number; searchNoMatch: 'empty' | '404' };
}

export interface BloomreachCustomer {
	internal_id: string;
	ids: Record<string, string | string[]>;
	properties: Record<string, unknown>;
	events: Array<{ type: 'anonymization'; timestamp: number; bulk_id: string | null }>;
}

export interface BloomreachAnonymization {
	endpoint: 'anonymize_bulk' | 'anonymize';
	bulk_id: string | null;
	receivedAt: number;
	requested: number;
	anonymized: string[];
	notFound: unknown[];
}

export interface CustomerGaugeRecord {
	record_id: number;
	email: string;
	first_name: string;
	last_name: string;
	sms_telephone: string;
	customer_number: string;
	job_level: string;
	job_position: string;
	follow_up_details: string;
	nps_score: number;
	nps_comment: string;
	comment_translation: string;
	workflow_comment: string;
	additional_comment: string;
	segment_region: string;
	custom_field_1: string;
	date_sent: string;
}

export interface BlueshiftProfile {
	uuid: string;
	email: string;
	customer_id: string;
	cookie: string;
	device_id?: string;
	firstname: string;
	lastname: string;
	joined_at: string;
}

export interface BlueshiftJob {
	id: number;
	endpoint: 'delete' | 'forget';
	identifiers: Partial<Record<'email' | 'customer_id' | 'cookie' | 'device_id', string>>;
	deleteAll: boolean;
	receivedAt: number;
	dueAt: number;
	completedAt: number | null;
	deletedUuids: string[];
}

export interface SimulatorState {
	bloomreach: {
		projectToken: string;
		privateProperties: string[];
		customers: BloomreachCustomer[];
		anonymizations: BloomreachAnonymization[];
	};
	customerGauge: {
		records: CustomerGaugeRecord[];
		anonymizations: Array<{
			at: number;
			by: 'email' | 'telephone';
			value: string;
			recordIds: number[];
			api: 'v4.1' | 'v6';
		}>;
		/** OAuth2 tokens issued, newest last. */
		tokens: Array<{ issuedAt: number; expiresAt: number }>;
	};
	blueshift: { profiles: BlueshiftProfile[]; jobs: BlueshiftJob[] };
}

export interface LoggedRequest {
	seq: number;
	/** Arrival, epoch milliseconds with sub-millisecond precision. */
	at: number;
	vendor: VendorName | null;
	endpoint: string | null;
	method: string;
	path: string;
	/** `api_key` is redacted. */
	query: Record<string, string>;
	/** Authorization keeps only its scheme: "Basic [REDACTED]". */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON or form body; the raw text when it does not parse. */
	body: unknown;
	/** null when the connection was reset. */
	status: number | null;
	fault: FaultKind | null;
	durationMs: number;
}

export interface RequestCounts {
	total: number;
	/** vendor ("unrouted" for other paths) → endpoint → status ("no answer" for a reset) → count */
	byVendor: Record<string, Record<string, Record<string, number>>>;
}

export interface Simulator {
	/** http://127.0.0.1:<port>: the base / instance URL for all three credentials. */
	readonly url: string;
	readonly port: number;
	readonly credentials: Credentials;
	/** A fresh copy of every store. */
	readonly state: SimulatorState;
	snapshot<V extends VendorName>(vendor: V): SimulatorState[V];
	snapshot(): SimulatorState;
	/** Every logged request (empty when requestLog is "counts"). */
	readonly requests: LoggedRequest[];
	listRequests(filter?: { vendor?: VendorName; endpoint?: string; since?: number }): LoggedRequest[];
	clearRequests(): void;
	readonly requestCounts: RequestCounts;
	readonly config: Config;
	/** Throws a TypeError on an unknown or invalid knob. `faults` replaces the fault list. */
	configure(patch: ConfigPatch & { faults?: FaultRule[] }): void;
	/** The fault rules still pending, with their remaining `times` and `after`. */
	readonly faults: Array<
		Required<Pick<FaultRule, 'kind' | 'times' | 'after' | 'headers' | 'afterProcessing'>> & FaultRule
	>;
	setFaults(rules: FaultRule | FaultRule[]): void;
	addFaults(rules: FaultRule | FaultRule[]): void;
	/** Back to the start: fixtures, options, faults, rate-limit buckets; the log is cleared. */
	reset(): void;
	close(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

export const DEFAULT_CREDENTIALS: Readonly<Credentials>;
export const VENDORS: readonly VendorName[];
export const FAULT_KINDS: readonly FaultKind[];

export const fixtures: {
	readonly bloomreach: {
		readonly privateProperties: readonly string[];
		readonly customers: readonly Omit<BloomreachCustomer, 'events'>[];
	};
	readonly customerGauge: { readonly records: readonly CustomerGaugeRecord[]; readonly anonymisedComment: string };
	readonly blueshift: { readonly profiles: readonly BlueshiftProfile[] };
};

export const fixtureIds: {
	readonly bloomreach: {
		readonly ada: { readonly registered: string; readonly internalId: string };
		readonly grace: { readonly registered: string; readonly crmId: string; readonly internalId: string };
		readonly linus: { readonly registered: string; readonly internalId: string };
		readonly visitor: { readonly cookie: string; readonly internalId: string };
	};
	readonly customerGauge: {
		readonly maria: { readonly email: string; readonly recordIds: readonly number[] };
		readonly tom: { readonly telephone: string; readonly recordIds: readonly number[] };
		readonly nina: { readonly email: string; readonly recordIds: readonly number[] };
	};
	readonly blueshift: {
		readonly crowd: { readonly email: string; readonly count: number };
		readonly trio: { readonly email: string; readonly count: number };
		readonly solo: {
			readonly email: string;
			readonly customerId: string;
			readonly deviceId: string;
			readonly cookie: string;
		};
	};
};

export function generatedIdentity(i: number): {
	email: string;
	internalId: string;
	telephone: string;
	customerId: string;
};
