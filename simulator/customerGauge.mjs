/**
 * CustomerGauge v4.1: `Authorization: api_key <KEY>` (or `?api_key=`), the form-encoded
 * anonymize call and its read-only GET preview, over a store of survey records.
 */
import { randomBytes } from 'node:crypto';

import { jsonReply, matchRoute } from './http.mjs';

const routes = [
	{ method: 'POST', path: /^\/v4\.1\/anonymize\.json$/, endpoint: 'anonymize' },
	{ method: 'GET', path: /^\/v4\.1\/anonymize\.json$/, endpoint: 'preview' },
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const STARRED = ['first_name', 'last_name', 'sms_telephone', 'customer_number', 'follow_up_details'];
const COMMENTS = ['nps_comment', 'comment_translation', 'workflow_comment', 'additional_comment'];

const error = (status, message, code) => jsonReply(status, { Error: { Message: message, ...(code ? { Code: code } : {}) } });

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

	anonymize(by, value) {
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
		this.anonymizations.push({ at: Date.now(), by, value, recordIds: records.map((record) => record.record_id) });
	}

	snapshot() {
		return structuredClone({ records: this.records, anonymizations: this.anonymizations });
	}
}

/**
 * @param {{ credentials: { apiKey: string }, settings: () => { errorStatus: number } }} options
 */
export function createCustomerGauge({ credentials, settings }) {
	/** @type {RecordStore} */
	let store;

	function authorized(request) {
		const header = /^api_key\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
		return (header ? header[1] : request.query.get('api_key')) === credentials.apiKey;
	}

	/** The one contact identifier, or the vendor's error body. */
	function contact(fields) {
		const email = String(fields.email ?? '').trim();
		const telephone = String(fields.telephone ?? '').trim();
		const { errorStatus } = settings();
		if (Boolean(email) === Boolean(telephone)) {
			return { reply: error(errorStatus, 'Please make an API request by email or telephone') };
		}
		if (email && !EMAIL.test(email)) return { reply: error(errorStatus, 'Email is not valid') };
		return email ? { by: 'email', value: email } : { by: 'telephone', value: telephone };
	}

	return {
		name: 'customerGauge',
		prefix: '/v4.1/',
		endpoints: routes.map((route) => route.endpoint),
		route: (method, pathname) => matchRoute(routes, method, pathname),
		errorReply: (status, message, headers) => jsonReply(status, { Error: { Message: message, Code: status } }, headers),

		/** Only a form body is read, as the vendor's PHP endpoint does; a JSON body carries no fields. */
		parse(request) {
			if (request.method === 'GET') {
				request.fields = Object.fromEntries(request.query);
				return;
			}
			const isForm = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
			request.fields = isForm ? Object.fromEntries(new URLSearchParams(request.raw.toString('utf8'))) : {};
			request.body = isForm ? request.fields : request.raw.length ? request.raw.toString('utf8') : undefined;
		},

		handle(request) {
			if (!authorized(request)) return error(401, 'Invalid API key', 401);
			const target = contact(request.fields);
			if ('reply' in target) return target.reply;
			if (request.endpoint === 'preview') {
				return jsonReply(200, { Data: structuredClone(store.find(target.by, target.value)) });
			}
			store.anonymize(target.by, target.value);
			return jsonReply(200, { Data: { message: 'Record updated successfully' } });
		},

		/** @param {ReturnType<typeof import('./fixtures.mjs').seedData>['customerGauge']} seed */
		reset(seed) {
			store = new RecordStore(seed);
		},

		snapshot: () => store.snapshot(),
	};
}
