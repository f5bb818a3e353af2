import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import type { OptionDefaults } from '../description/options';
import type { FailureReason, Identifier, ReceiptStatus } from './receipt';

/** A vendor's connection details, read once per execution from its credential. */
export interface Connection {
	/** The credential type every request is authenticated with. */
	credentialType: string;
	/** n8n fetches an OAuth2 token for this credential, and a new one when the vendor answers 401. */
	oAuth2?: true;
	/** OAuth2: where n8n fetches the tokens. */
	tokenUrl?: string;
	baseUrl: string;
	/** Credential values to scrub from any text the node outputs, as defence in depth. */
	secrets: string[];
	/**
	 * What identifies the vendor account for pacing, when not the secrets: never a value that changes
	 * while the account stays the same (an OAuth2 access token is renewed every hour).
	 */
	account?: string[];
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
	| {
			ok: true;
			message: string;
			reference?: string;
			details?: IDataObject;
			/** A look-up showed there is nothing to erase: the erasure request was not sent. */
			skipped?: boolean;
			/** A read-only look-up found nothing held about the person. */
			nothingHeld?: boolean;
			/** What a verification found: the erasure is done, still under way, or cannot be checked. */
			verification?: Verification;
	  }
	| {
			ok: false;
			reason: FailureReason;
			message: string;
			hint?: string;
			vendorCode?: string | number;
			/** Overrides the shared rule (429, 5xx and network errors are retried). */
			retryable?: boolean;
			/** Proves the credential refused (no token to be had): nothing more is sent with it in this run. */
			credentialRefused?: boolean;
	  };

export type Verification = 'completed' | 'pending' | 'unverifiable';

export interface Vendor<C extends Connection> {
	displayName: string;
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
	successStatus: Extract<ReceiptStatus, 'accepted' | 'found'>;
	options: OptionDefaults;
	readTarget(context: IExecuteFunctions, itemIndex: number): Target;
	identifiers(target: Target): Identifier[];
	/** Targets with the same key are the same person and are sent once. */
	key(target: Target): string;
	buildRequest(targets: Target[], connection: C): VendorRequest;
	interpret(answer: VendorAnswer, targets: Target[], connection: C): Verdict;
	/** A verification of earlier erasures: its receipts say when they were checked and whether the deadline has passed. */
	verifies?: true;
	/** For what the vendor's API cannot tell: the verdict, given without sending anything. */
	answerWithoutRequest?(targets: Target[]): Verdict;
	/** Read once per run: a read-only look-up to send before each request, when the user asked for one. */
	lookUpFirst?(context: IExecuteFunctions): LookUpFirst<Target, C> | undefined;
}

/**
 * A read-only request sent before the erasure of one person (operations with a look-up carry one
 * person per request). An ok verdict lets the erasure go ahead and adds its message and details to
 * the receipt; an ok verdict marked `skipped` answers the item without sending the erasure.
 */
export interface LookUpFirst<Target, C extends Connection = Connection> {
	/** What the look-up is, for messages: "the search for matching profiles". */
	description: string;
	buildRequest(target: Target, connection: C): VendorRequest;
	interpret(answer: VendorAnswer, target: Target): Verdict;
}
