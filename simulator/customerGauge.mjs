/**
 * CustomerGauge over a store of survey records. v4.1: `Authorization: api_key <KEY>` (or
 * `?api_key=`) or an OAuth2 Bearer token, the form-encoded anonymize call and its read-only GET
 * preview. OAuth2: the client-credentials token endpoint (tokens expire, then 401), and v6's JSON
 * anonymize call, which takes only a Bearer token. v6's answers are not documented: the shapes
 * here are this simulator's assumption (see README).
 */
import { randomBytes } from 'node:crypto';

import { basicCredentials, jsonReply, matchRoute, parseJson } from './http.mjs';

const routes = [
	{ method: 'POST', path: /^\/v4\.1\/anonymize\.json$/, endpoint: 'anonymize' },
	{ method: 'GET', path: /^\/v4\.1\/anonymize\.json$/, endpoint: 'preview' },
	{ method: 'POST', path: /^\/v6\/system-admin\/data-admin\/contacts\/anonymize$/, endpoint: 'anonymize_v6' },
	{ method: 'POST', path: /^\/oauth2\/token$/, endpoint: 'token' },
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const STARRED = ['first_name', 'last_name', 'sms_telephone', 'customer_number', 'follow_up_details'];
const COMMENTS = ['nps_comment', 'comment_translation', 'workflow_comment', 'additional_comment'];

const error = (status, message, code) =>
	jsonReply(status, { Error: { Message: message, ...(code ? { Code: code } : {}) } });

class RecordStore {
	constructor({ records, anonymisedComment }) {
		this.records = records;
		this.anonymisedComment = anonymisedComment;
		this.anonymizations = [];
		/** @type {Map<string, any[]>} 'email:'/'telephone:' + value → records */
		this.index = new Map();
		for (const record of records) {
			this.add(`email:${record.email.toLowerCase()}`, record);
			this.add(`telephone:${record.sms_telephone}`, record);
		}
	}

	add(key, record) {
		const list = this.index.get(key);
		if (list) list.push(record);
		else this.index.set(key, [record]);
	}

	remove(key, record) {
		const rest = (this.index.get(key) ?? []).filter((entry) => entry !== record);
		if (rest.length) this.index.set(key, rest);
		else this.index.delete(key);
	}

	/** Email matches whatever its letter case; a telephone must match as stored. */
	find(by, value) {
		return this.index.get(`${by}:${by === 'email' ? value.toLowerCase() : value}`) ?? [];
	}

	anonymize(by, value, api) {
		const records = [...this.find(by, value)];
		for (const record of records) {
			this.remove(`email:${record.email.toLowerCase()}`, record);
			this.remove(`telephone:${record.sms_telephone}`, record);
			record.email = `anonymised-${randomBytes(8).toString('hex')}@customergauge.invalid`;
			for (const field of STARRED) record[field] = '***';
			record.job_level = '*';
			record.job_position = '--';
			for (const field of COMMENTS) record[field] = this.anonymisedComment;
			this.add(`email:${record.email}`, record);
		}
		this.anonymizations.push({ at: Date.now(), by, value, recordIds: records.map((record) => record.record_id), api });
	}

	snapshot() {
		return structuredClone({ records: this.records, anonymizations: this.anonymizations });
	}
}

/** Bearer tokens issued by the token endpoint, each valid for the configured lifetime. */
class TokenStore {
	constructor() {
		/** @type {Map<string, { issuedAt: number, expiresAt: number }>} */
		this.tokens = new Map();
	}

	issue(lifetimeMs) {
		const token = `sim-cg-token-${randomBytes(12).toString('hex')}`;
		const issuedAt = Date.now();
		this.tokens.set(token, { issuedAt, expiresAt: issuedAt + lifetimeMs });
		return token;
	}

	/** 'valid', 'expired' or 'unknown'. */
	check(token) {
		const entry = this.tokens.get(token);
		if (!entry) return 'unknown';
		return Date.now() < entry.expiresAt ? 'valid' : 'expired';
	}

	snapshot() {
		return [...this.tokens.values()];
	}
}

/**
 * @param {{ credentials: { apiKey: string }, settings: () => { errorStatus: number } }} options
 */
export function createCustomerGauge({ credentials, settings }) {
	/** @type {RecordStore} */
	let store;
	/** @type {TokenStore} */
	let tokens;

	const bearerToken = (request) => /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];

	/** The reason a request is refused, or undefined; v6 takes only a Bearer token. */
	function refusal(request) {
		const token = bearerToken(request);
		if (token !== undefined) {
			const state = tokens.check(token);
			if (state === 'valid') return undefined;
			return error(401, state === 'expired' ? 'The access token has expired' : 'Invalid access token', 401);
		}
		if (request.endpoint === 'anonymize_v6') return error(401, 'A Bearer access token is required', 401);
		const header = /^api_key\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
		const key = header ? header[1] : request.query.get('api_key');
		return key === credentials.apiKey ? undefined : error(401, 'Invalid API key', 401);
	}

	/** OAuth2 client credentials, from the form body or HTTP Basic, as RFC 6749 allows. */
	function issueToken(request) {
		const basic = basicCredentials(request.headers.authorization);
		const clientId = basic?.user ?? request.fields.client_id;
		const clientSecret = basic?.password ?? request.fields.client_secret;
		if (request.fields.grant_type !== 'client_credentials') return jsonReply(400, { error: 'unsupported_grant_type' });
		if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
			return jsonReply(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
		}
		const lifetimeMs = settings().tokenLifetimeMs;
		return jsonReply(200, {
			access_token: tokens.issue(lifetimeMs),
			token_type: 'Bearer',
			expires_in: Math.floor(lifetimeMs / 1000),
		});
	}

	/** The one contact identifier, or the vendor's error body (v6 names the telephone "phone"). */
	function contact(fields) {
		const email = String(fields.email ?? '').trim();
		const telephone = String(fields.telephone ?? fields.phone ?? '').trim();
		const { errorStatus } = settings();
		if (Boolean(email) === Boolean(telephone)) {
			return { reply: error(errorStatus, 'Please make an API request by email or telephone') };
		}
		if (email && !EMAIL.test(email)) return { reply: error(errorStatus, 'Email is not valid') };
		return email ? { by: 'email', value: email } : { by: 'telephone', value: telephone };
	}

	return {
		name: 'customerGauge',
		prefixes: ['/v4.1/', '/v6/', '/oauth2/'],
		endpoints: routes.map((route) => route.endpoint),
		route: (method, pathname) => matchRoute(routes, method, pathname),
		errorReply: (status, message, headers) => jsonReply(status, { Error: { Message: message, Code: status } }, headers),

		/**
		 * v4.1 reads only a form body, as the vendor's PHP endpoint does (a JSON body carries no
		 * fields); v6 reads only JSON. The token request's client secret never reaches the log.
		 */
		parse(request) {
			if (request.method === 'GET') {
				request.fields = Object.fromEntries(request.query);
				return;
			}
			if (request.endpoint === 'anonymize_v6') {
				const { body, invalid } = parseJson(request.raw);
				request.body = body;
				request.fields = invalid || body === null || typeof body !== 'object' ? {} : body;
				return;
			}
			const isForm = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
			request.fields = isForm ? Object.fromEntries(new URLSearchParams(request.raw.toString('utf8'))) : {};
			request.body = isForm ? request.fields : request.raw.length ? request.raw.toString('utf8') : undefined;
			if (request.endpoint === 'token' && isForm && 'client_secret' in request.fields) {
				request.body = { ...request.fields, client_secret: '[redacted]' };
			}
		},

		handle(request) {
			if (request.endpoint === 'token') return issueToken(request);
			const refused = refusal(request);
			if (refused) return refused;
			const target = contact(request.fields);
			if ('reply' in target) return target.reply;
			if (request.endpoint === 'preview') {
				return jsonReply(200, { Data: structuredClone(store.find(target.by, target.value)) });
			}
			const api = request.endpoint === 'anonymize_v6' ? 'v6' : 'v4.1';
			store.anonymize(target.by, target.value, api);
			return jsonReply(
				200,
				api === 'v6' ? { message: 'Contact anonymized' } : { Data: { message: 'Record updated successfully' } },
			);
		},

		/** @param {ReturnType<typeof import('./fixtures.mjs').seedData>['customerGauge']} seed */
		reset(seed) {
			store = new RecordStore(seed);
			tokens = new TokenStore();
		},

		snapshot: () => ({ ...store.snapshot(), tokens: tokens.snapshot() }),
	};
}
