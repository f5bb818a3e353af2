import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import type { OptionDefaults } from './options';
import type { FailureReason, Identifier } from './receipt';

/** A vendor's connection details, read once per execution from its credential. */
export interface Connection {
	baseUrl: string;
	/** Credential values to scrub from any text the node outputs, as defence in depth. */
	secrets: string[];
}

export interface VendorRequest {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** JSON unless the vendor wants an HTML-form body. */
	bodyEncoding?: 'json' | 'form';
}

export interface VendorAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	/** Parsed JSON when the body parses, otherwise the raw text. */
	body: unknown;
}

export type Verdict =
	| { ok: true; message: string; reference?: string; details?: IDataObject }
	| {
			ok: false;
			reason: FailureReason;
			message: string;
			hint?: string;
			vendorCode?: string | number;
			/** Overrides the shared rule (429, 5xx and network errors are retried). */
			retryable?: boolean;
	  };

export interface Vendor<C extends Connection> {
	displayName: string;
	credentialType: string;
	connect(context: IExecuteFunctions): Promise<C>;
}

/**
 * Everything a vendor operation knows: how to read one item, how a group of
 * targets becomes one request, and how the vendor's answer becomes a verdict.
 * The shared pipeline does the rest.
 */
export interface ErasureOperation<Target, C extends Connection = Connection> {
	vendor: Vendor<C>;
	name: string;
	/** `accepted` for erasures (the vendor finishes later), `found` for read-only look-ups. */
	successStatus: 'accepted' | 'found';
	options: OptionDefaults;
	readTarget(context: IExecuteFunctions, itemIndex: number): Target;
	identifiers(target: Target): Identifier[];
	/** Targets with the same key are the same person and are sent once. */
	key(target: Target): string;
	buildRequest(targets: Target[], connection: C): VendorRequest;
	interpret(answer: VendorAnswer): Verdict;
}
