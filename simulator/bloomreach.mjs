/**
 * Bloomreach Engagement: private-access auth, the two anonymize endpoints and the consent
 * categories list (the credential test), over a store of customers indexed by ID.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { basicCredentials, isPlainObject, jsonReply, matchRoute, parseJson } from './http.mjs';

const MAX_BULK = 1000;
const INTERNAL_ID = /^[0-9a-f]{24}$/i;

const routes = [
	{ method: 'POST', path: /^\/data\/v2\/projects\/([^/]+)\/customers\/anonymize_bulk$/, endpoint: 'anonymize_bulk' },
	{ method: 'POST', path: /^\/data\/v2\/projects\/([^/]+)\/customers\/anonymize$/, endpoint: 'anonymize' },
	{ method: 'GET', path: /^\/data\/v2\/projects\/([^/]+)\/consent\/categories$/, endpoint: 'consent_categories' },
];

const CONSENT_CATEGORIES = [
	{ id: '5e5f8a1b2c3d4e5f6a7b8c9d', category_name: 'newsletter', legitimate_interest: false },
	{ id: '5e5f8a1b2c3d4e5f6a7b8c9e', category_name: 'personalisation', legitimate_interest: true },
];

const failure = (status, ...errors) => jsonReply(status, { success: false, errors });

const idKey = (name, value) => `${name}\u0000${value}`;

class CustomerStore {
	constructor({ customers, privateProperties }) {
		this.privateProperties = privateProperties;
		/** @type {Map<string, any>} internal_id (lower case) → customer */
		this.byInternalId = new Map();
		/** @type {Map<string, any>} ID name + value → customer */
		this.byId = new Map();
		/** What each anonymize request did: the vendor does not say, so tests look here. */
		this.anonymizations = [];
		for (const customer of customers) {
			customer.events = customer.events ?? [];
			this.byInternalId.set(customer.internal_id.toLowerCase(), customer);
			this.index(customer);
		}
	}

	*idPairs(customer) {
		for (const [name, values] of Object.entries(customer.ids)) {
			for (const value of [values].flat()) yield [name, value];
		}
	}

	index(customer) {
		for (const [name, value] of this.idPairs(customer)) this.byId.set(idKey(name, value), customer);
	}

	/** The customer of the first of the given IDs that names one. */
	findByIds(customerIds) {
		for (const [name, value] of Object.entries(customerIds)) {
			const customer = this.byId.get(idKey(name, value));
			if (customer) return customer;
		}
		return undefined;
	}

	find(entry) {
		return 'internal_id' in entry
			? this.byInternalId.get(entry.internal_id.toLowerCase())
			: this.findByIds(entry.customer_ids);
	}

	/** Removes IDs and private properties, keeps the rest, assigns a new cookie, tracks an event. */
	anonymize(customer, at, bulkId) {
		for (const [name, value] of this.idPairs(customer)) this.byId.delete(idKey(name, value));
		customer.ids = { cookie: [randomUUID()] };
		this.index(customer);
		for (const property of this.privateProperties) delete customer.properties[property];
		customer.events.push({ type: 'anonymization', timestamp: at, bulk_id: bulkId });
	}

	/** Carries out one request's entries and records the outcome. */
	anonymizeAll(entries, endpoint, bulkId) {
		const at = Date.now();
		const anonymized = [];
		const notFound = [];
		for (const entry of entries) {
			const customer = this.find(entry);
			if (customer) {
				this.anonymize(customer, at, bulkId);
				anonymized.push(customer.internal_id);
			} else {
				notFound.push(entry);
			}
		}
		this.anonymizations.push({
			endpoint,
			bulk_id: bulkId,
			receivedAt: at,
			requested: entries.length,
			anonymized,
			notFound,
		});
	}

	snapshot() {
		return structuredClone({
			privateProperties: this.privateProperties,
			customers: [...this.byInternalId.values()],
			anonymizations: this.anonymizations,
		});
	}
}

function customerIdsProblem(value, where) {
	if (!isPlainObject(value) || Object.keys(value).length === 0) {
		return `${where}: must be an object with at least one customer ID`;
	}
	for (const [name, id] of Object.entries(value)) {
		if (typeof id !== 'string' || id === '') return `${where}.${name}: must be a non-empty string`;
	}
	return undefined;
}

function entryProblem(entry, position) {
	const where = `customers[${position}]`;
	if (!isPlainObject(entry)) return `${where}: must be an object`;
	const byIds = 'customer_ids' in entry;
	if (byIds === 'internal_id' in entry) return `${where}: needs either customer_ids or internal_id`;
	if (byIds) return customerIdsProblem(entry.customer_ids, `${where}.customer_ids`);
	if (typeof entry.internal_id !== 'string' || !INTERNAL_ID.test(entry.internal_id)) {
		return `${where}.internal_id: ${JSON.stringify(entry.internal_id)} is not a valid internal ID`;
	}
	return undefined;
}

/**
 * @param {{ credentials: { projectToken: string, apiKeyId: string, apiSecret: string, readOnlyKeyId: string, readOnlySecret: string } }} options
 */
export function createBloomreach({ credentials }) {
	/** @type {CustomerStore} */
	let store;

	const keys = new Map([
		[credentials.apiKeyId, { secret: credentials.apiSecret, canAnonymize: true }],
		[credentials.readOnlyKeyId, { secret: credentials.readOnlySecret, canAnonymize: false }],
	]);

	/** @returns {{ reply: import('./http.mjs').Reply } | { canAnonymize: boolean }} */
	function authenticate(authorization) {
		if (!authorization) return { reply: failure(401, 'Access key not provided') };
		const basic = basicCredentials(authorization);
		if (!basic) return { reply: jsonReply(400, { success: false, error: 'Could not authenticate' }) };
		const key = keys.get(basic.user);
		if (!key) return { reply: failure(401, 'Access key not found') };
		if (key.secret !== basic.password) return { reply: failure(403, 'invalid secret') };
		return { canAnonymize: key.canAnonymize };
	}

	function anonymizeBulk(body) {
		if (!isPlainObject(body) || !('customers' in body)) return failure(400, 'customers: field is required');
		const { customers } = body;
		if (!Array.isArray(customers)) return failure(400, 'customers: must be a list');
		if (customers.length === 0) return failure(400, 'customers: at least 1 customer is required');
		if (customers.length > MAX_BULK) {
			return failure(400, `customers: at most ${MAX_BULK} customers per request, got ${customers.length}`);
		}
		const problems = customers.map(entryProblem).filter(Boolean);
		if (problems.length) return failure(400, ...problems);
		const bulkId = randomBytes(12).toString('hex');
		store.anonymizeAll(customers, 'anonymize_bulk', bulkId);
		return jsonReply(200, { success: true, bulk_id: bulkId });
	}

	function anonymizeOne(body) {
		if (!isPlainObject(body) || !('customer_ids' in body)) return failure(400, 'customer_ids: field is required');
		const problem = customerIdsProblem(body.customer_ids, 'customer_ids');
		if (problem) return failure(400, problem);
		store.anonymizeAll([{ customer_ids: body.customer_ids }], 'anonymize', null);
		return jsonReply(200, { success: true });
	}

	return {
		name: 'bloomreach',
		prefixes: ['/data/v2/'],
		endpoints: routes.map((route) => route.endpoint),
		route: (method, pathname) => matchRoute(routes, method, pathname),
		errorReply: (status, message, headers) => jsonReply(status, { success: false, errors: [message] }, headers),

		parse(request) {
			if (request.method === 'GET') return;
			const { body, invalid } = parseJson(request.raw);
			request.body = body;
			request.invalidJson = invalid;
		},

		handle(request) {
			const auth = authenticate(request.headers.authorization);
			if ('reply' in auth) return auth.reply;
			if (request.params[0] !== credentials.projectToken) return failure(404, 'Project not found');
			if (request.endpoint === 'consent_categories')
				return jsonReply(200, { success: true, results: CONSENT_CATEGORIES });
			if (!auth.canAnonymize) return failure(403, 'No permission');
			if (request.invalidJson) return jsonReply(400, { success: false, message: 'Invalid JSON' });
			return request.endpoint === 'anonymize_bulk' ? anonymizeBulk(request.body) : anonymizeOne(request.body);
		},

		/** @param {ReturnType<typeof import('./fixtures.mjs').seedData>['bloomreach']} seed */
		reset(seed) {
			store = new CustomerStore(seed);
		},

		snapshot: () => ({ projectToken: credentials.projectToken, ...store.snapshot() }),
	};
}
