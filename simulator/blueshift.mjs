/**
 * Blueshift: Basic auth with the User API key, customer search, and delete / forget, which are
 * queued and carried out after a delay, as the vendor deletes asynchronously.
 */
import { basicCredentials, isPlainObject, jsonReply, matchRoute, parseJson } from './http.mjs';

const routes = [
	{ method: 'POST', path: /^\/api\/v1\/customers\/delete$/, endpoint: 'delete' },
	{ method: 'POST', path: /^\/api\/v1\/customers\/forget$/, endpoint: 'forget' },
	{ method: 'GET', path: /^\/api\/v1\/customers$/, endpoint: 'search' },
];

const IDENTIFIERS = ['email', 'customer_id', 'cookie', 'device_id'];
const MAX_PER_REQUEST = 50;

const errors = (fields) => jsonReply(400, { errors: fields });
const normalise = (type, value) => (type === 'email' ? value.toLowerCase() : value);

class ProfileStore {
	constructor({ profiles }) {
		/** @type {Map<string, any>} uuid → profile, in creation order: "first match" is the oldest */
		this.profiles = new Map();
		/** @type {Map<string, any[]>} identifier type + value → profiles */
		this.index = new Map();
		for (const profile of profiles) {
			this.profiles.set(profile.uuid, profile);
			for (const [type, value] of this.identifiers(profile)) {
				const key = `${type}\u0000${value}`;
				const list = this.index.get(key);
				if (list) list.push(profile);
				else this.index.set(key, [profile]);
			}
		}
	}

	*identifiers(profile) {
		for (const type of IDENTIFIERS) {
			if (typeof profile[type] === 'string') yield [type, normalise(type, profile[type])];
		}
	}

	/** Profiles that match every identifier given. */
	find(identifiers) {
		const [[firstType, firstValue], ...rest] = Object.entries(identifiers);
		const candidates = this.index.get(`${firstType}\u0000${normalise(firstType, firstValue)}`) ?? [];
		return candidates.filter((profile) =>
			rest.every(
				([type, value]) =>
					typeof profile[type] === 'string' && normalise(type, profile[type]) === normalise(type, value),
			),
		);
	}

	delete(profile) {
		this.profiles.delete(profile.uuid);
		for (const [type, value] of this.identifiers(profile)) {
			const key = `${type}\u0000${value}`;
			const rest = this.index.get(key).filter((entry) => entry !== profile);
			if (rest.length) this.index.set(key, rest);
			else this.index.delete(key);
		}
	}
}

/** Reads the identifiers and delete_all_matching_customers; `errors` in the vendor's shape. */
function readRequest(source, queryFlag) {
	const problems = {};
	const identifiers = {};
	for (const type of IDENTIFIERS) {
		const value = source[type];
		if (value === undefined || value === null || value === '') continue;
		if (typeof value === 'string') identifiers[type] = value;
		else problems[type] = ['must be a string'];
	}
	const flag = source.delete_all_matching_customers ?? queryFlag ?? false;
	const deleteAll = flag === true || flag === 'true' ? true : flag === false || flag === 'false' ? false : undefined;
	if (deleteAll === undefined) problems.delete_all_matching_customers = ['must be true or false'];
	if (!Object.keys(identifiers).length && !Object.keys(problems).length) {
		problems.email = ["can't be blank when customer_id, cookie and device_id are blank"];
	}
	return Object.keys(problems).length ? { reply: errors(problems) } : { identifiers, deleteAll };
}

/**
 * @param {{ credentials: { userApiKey: string }, settings: () => { deletionDelayMs: number, searchNoMatch: 'empty' | '404' } }} options
 */
export function createBlueshift({ credentials, settings }) {
	/** @type {ProfileStore} */
	let store;
	let jobs = [];
	const timers = new Set();

	/** Matches are looked up when the job runs, so back-to-back requests each take the next ones. */
	function run(job) {
		const limit = job.endpoint === 'delete' && !job.deleteAll ? 1 : MAX_PER_REQUEST;
		const victims = store.find(job.identifiers).slice(0, limit);
		for (const profile of victims) store.delete(profile);
		job.deletedUuids = victims.map((profile) => profile.uuid);
		job.completedAt = Date.now();
	}

	function enqueue(endpoint, identifiers, deleteAll) {
		const { deletionDelayMs } = settings();
		const receivedAt = Date.now();
		const job = {
			id: jobs.length + 1,
			endpoint,
			identifiers,
			deleteAll,
			receivedAt,
			dueAt: receivedAt + deletionDelayMs,
			completedAt: null,
			deletedUuids: [],
		};
		jobs.push(job);
		if (deletionDelayMs === 0) {
			run(job);
			return;
		}
		const timer = setTimeout(() => {
			timers.delete(timer);
			run(job);
		}, deletionDelayMs);
		timer.unref();
		timers.add(timer);
	}

	function cancelPending() {
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
	}

	return {
		name: 'blueshift',
		prefixes: ['/api/v1/'],
		endpoints: routes.map((route) => route.endpoint),
		route: (method, pathname) => matchRoute(routes, method, pathname),
		errorReply: (status, message, headers) => jsonReply(status, { message }, headers),

		parse(request) {
			if (request.method === 'GET') return;
			const { body, invalid } = parseJson(request.raw);
			request.body = body;
			request.invalidJson = invalid || !isPlainObject(body);
		},

		handle(request) {
			const basic = basicCredentials(request.headers.authorization);
			if (!basic || basic.user !== credentials.userApiKey) return jsonReply(401, { message: 'Not authorized' });
			if (request.endpoint === 'search') {
				const read = readRequest(Object.fromEntries(request.query));
				if ('reply' in read) return read.reply;
				const users = store.find(read.identifiers);
				if (!users.length && settings().searchNoMatch === '404')
					return jsonReply(404, { message: 'Customer not found' });
				return jsonReply(200, { users });
			}
			if (request.invalidJson) return errors({ body: ['must be a JSON object'] });
			const read = readRequest(request.body, request.query.get('delete_all_matching_customers') ?? undefined);
			if ('reply' in read) return read.reply;
			if (request.endpoint === 'forget' && store.find(read.identifiers).length > MAX_PER_REQUEST) {
				return jsonReply(413, { message: `More than ${MAX_PER_REQUEST} users match this request` });
			}
			enqueue(request.endpoint, read.identifiers, read.deleteAll);
			return jsonReply(200, { status: 'ok' });
		},

		/** @param {ReturnType<typeof import('./fixtures.mjs').seedData>['blueshift']} seed */
		reset(seed) {
			cancelPending();
			store = new ProfileStore(seed);
			jobs = [];
		},

		close: cancelPending,

		snapshot: () => structuredClone({ profiles: [...store.profiles.values()], jobs }),
	};
}
