/**
 * The inspection API under /__simulator: state, request log, config, faults and reset.
 * Not logged, not delayed, not rate-limited.
 */
import { jsonReply, parseJson } from './http.mjs';

export const INSPECTION_PREFIX = '/__simulator';

const ENDPOINTS = [
	'GET /__simulator/state[?vendor=]',
	'GET /__simulator/requests[?vendor=&endpoint=&since=]',
	'DELETE /__simulator/requests',
	'GET /__simulator/config',
	'POST /__simulator/config',
	'GET|POST|PUT|DELETE /__simulator/faults',
	'POST /__simulator/reset',
];

/**
 * @param {import('./index.mjs').Simulator} simulator
 * @param {string} method
 * @param {URL} url
 * @param {Buffer} raw request body
 * @returns {import('./http.mjs').Reply}
 */
export function inspect(simulator, method, url, raw) {
	const route = `${method} ${url.pathname.slice(INSPECTION_PREFIX.length)}`;
	const query = Object.fromEntries(url.searchParams);
	const body = () => {
		const { body: parsed, invalid } = parseJson(raw);
		if (invalid && raw.length) throw new TypeError('Invalid JSON');
		return parsed ?? {};
	};
	try {
		switch (route) {
			case 'GET /state':
				return jsonReply(200, simulator.snapshot(query.vendor));
			case 'GET /requests':
				return jsonReply(200, {
					mode: simulator.config.requestLog,
					counts: simulator.requestCounts,
					requests: simulator.listRequests({ ...query, since: Number(query.since ?? 0) }),
				});
			case 'DELETE /requests':
				simulator.clearRequests();
				return jsonReply(200, { ok: true });
			case 'GET /config':
				return jsonReply(200, { ...simulator.config, credentials: simulator.credentials });
			case 'POST /config':
				simulator.configure(body());
				return jsonReply(200, { ...simulator.config, faults: simulator.faults });
			case 'GET /faults':
				return jsonReply(200, simulator.faults);
			case 'POST /faults':
				simulator.addFaults(body());
				return jsonReply(200, simulator.faults);
			case 'PUT /faults':
				simulator.setFaults(body());
				return jsonReply(200, simulator.faults);
			case 'DELETE /faults':
				simulator.setFaults([]);
				return jsonReply(200, simulator.faults);
			case 'POST /reset':
				simulator.reset();
				return jsonReply(200, { ok: true });
			default:
				return jsonReply(404, { error: `No inspection endpoint ${method} ${url.pathname}`, endpoints: ENDPOINTS });
		}
	} catch (error) {
		if (error instanceof TypeError) return jsonReply(400, { error: error.message });
		throw error;
	}
}
