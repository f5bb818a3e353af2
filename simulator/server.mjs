/**
 * One HTTP server on 127.0.0.1 for all three vendors, told apart by path prefix, plus the
 * inspection API. Every vendor request goes: latency → fault → route → rate limit → vendor.
 */
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { createBloomreach } from './bloomreach.mjs';
import { createBlueshift } from './blueshift.mjs';
import { initialConfig, patchConfig, resolveCredentials, VENDORS } from './config.mjs';
import { createCustomerGauge } from './customerGauge.mjs';
import { FaultQueue, faultOutcome } from './faults.mjs';
import { seedData } from './fixtures.mjs';
import { jsonReply } from './http.mjs';
import { INSPECTION_PREFIX, inspect } from './inspection.mjs';
import { LeakyBucket } from './rateLimit.mjs';
import { redactHeaders, redactQuery, RequestLog } from './requestLog.mjs';

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(request) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		request.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) reject(new BodyTooLarge());
			else chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

function checkGenerated(generated) {
	for (const [vendor, count] of Object.entries(generated)) {
		if (!VENDORS.includes(vendor)) throw new TypeError(`generated: unknown vendor "${vendor}"`);
		if (!Number.isInteger(count) || count < 0) throw new TypeError(`generated.${vendor} must be a whole number >= 0`);
	}
}

/**
 * Starts the simulator. See index.d.mts for the options and the handle.
 * @param {Record<string, any>} [options]
 */
export async function startSimulator(options = {}) {
	const { port = 0, credentials: credentialOverrides, generated = {}, faults: startFaults = [], ...knobs } = options;
	const credentials = resolveCredentials(credentialOverrides);
	const startConfig = initialConfig(knobs);
	checkGenerated(generated);
	let config = startConfig;

	const vendors = [
		createBloomreach({ credentials: credentials.bloomreach }),
		createCustomerGauge({ credentials: credentials.customerGauge, settings: () => config.customerGauge }),
		createBlueshift({ credentials: credentials.blueshift, settings: () => config.blueshift }),
	];
	const faults = new FaultQueue(Object.fromEntries(vendors.map((vendor) => [vendor.name, vendor.endpoints])));
	faults.set(startFaults);
	const log = new RequestLog(config.requestLog);
	const bucketsFor = (limits) =>
		Object.fromEntries(VENDORS.map((vendor) => [vendor, limits[vendor] ? new LeakyBucket(limits[vendor]) : undefined]));
	let buckets = bucketsFor(config.rateLimits);
	/** Aborts the latency and slow-answer waits still running when the simulator closes. */
	const closing = new AbortController();
	// One listener per request waiting, each removed when its wait ends: hundreds at once are no leak
	// (n8n's HTTP Request node sends a whole batch together), so Node's warning at 11 is turned off.
	setMaxListeners(0, closing.signal);

	function reset() {
		config = startConfig;
		log.mode = config.requestLog;
		log.clear();
		faults.set(startFaults);
		buckets = bucketsFor(config.rateLimits);
		const seed = seedData(generated);
		for (const vendor of vendors) vendor.reset(seed[vendor.name]);
	}

	function configure(patch) {
		const { faults: newFaults, ...rest } = patch ?? {};
		const next = patchConfig(config, rest);
		if (newFaults !== undefined) faults.set(newFaults);
		config = next;
		log.mode = next.requestLog;
		if ('rateLimits' in rest) buckets = bucketsFor(next.rateLimits);
	}

	function snapshot(name) {
		if (name === undefined) return Object.fromEntries(vendors.map((vendor) => [vendor.name, vendor.snapshot()]));
		const vendor = vendors.find((candidate) => candidate.name === name);
		if (!vendor) throw new TypeError(`vendor must be one of ${VENDORS.join(', ')}`);
		return vendor.snapshot();
	}

	function carryOut(vendor, request, route) {
		if (!route) return vendor.errorReply(404, 'Not found');
		if (route.methodNotAllowed) return vendor.errorReply(405, 'Method not allowed');
		const retryAfter = buckets[vendor.name]?.take() ?? 0;
		if (retryAfter) return vendor.errorReply(429, 'Rate limit exceeded', { 'retry-after': String(retryAfter) });
		return vendor.handle(request);
	}

	/** @returns {Promise<{ reply?: import('./http.mjs').Reply, reset?: true, delayMs?: number, fault?: string }>} */
	async function answer(vendor, request) {
		const route = vendor.route(request.method, request.pathname);
		if (route?.endpoint) Object.assign(request, route);
		vendor.parse(request);
		const latencyMs = config.latencyMs[vendor.name];
		if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: closing.signal });
		const fault = faults.take(vendor.name, request.endpoint ?? undefined);
		const reply = !fault || fault.afterProcessing ? carryOut(vendor, request, route) : undefined;
		return fault ? { fault: fault.kind, ...faultOutcome(fault, vendor, reply) } : { reply };
	}

	async function onRequest(req, res) {
		const arrivedAt = performance.now();
		const { generation } = log;
		const url = new URL(req.url ?? '/', `http://${HOST}`);
		const raw = await readBody(req);
		if (url.pathname === INSPECTION_PREFIX || url.pathname.startsWith(`${INSPECTION_PREFIX}/`)) {
			send(res, inspect(controller, req.method, url, raw));
			return;
		}
		const vendor = vendors.find((candidate) => candidate.prefixes.some((prefix) => url.pathname.startsWith(prefix)));
		const request = {
			method: req.method,
			pathname: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			raw,
			endpoint: null,
			params: [],
			body: undefined,
		};
		const outcome = vendor
			? await answer(vendor, request)
			: { reply: jsonReply(404, { message: `No simulated vendor serves ${url.pathname}` }) };
		if (outcome.delayMs) await sleep(outcome.delayMs, undefined, { signal: closing.signal });
		if (outcome.reset) req.socket.resetAndDestroy();
		else send(res, outcome.reply);
		log.record(
			{
				at: performance.timeOrigin + arrivedAt,
				vendor: vendor?.name ?? null,
				endpoint: request.endpoint,
				method: req.method,
				path: url.pathname,
				query: redactQuery(url.searchParams),
				headers: redactHeaders(req.headers),
				body: request.body,
				status: outcome.reset ? null : outcome.reply.status,
				fault: outcome.fault ?? null,
				durationMs: performance.now() - arrivedAt,
			},
			generation,
		);
	}

	function send(res, reply) {
		res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.text) });
		res.end(reply.text);
	}

	const server = createServer((req, res) => {
		onRequest(req, res).catch((error) => {
			if (closing.signal.aborted) return;
			if (error instanceof BodyTooLarge) {
				res.setHeader('connection', 'close');
				send(res, jsonReply(413, { message: `Request body over ${MAX_BODY_BYTES} bytes` }));
				return;
			}
			if (!res.headersSent) send(res, jsonReply(500, { message: `Simulator error: ${error.message}` }));
			else res.destroy();
		});
	});

	const controller = {
		url: '',
		port: 0,
		credentials,
		get state() {
			return snapshot();
		},
		snapshot,
		get requests() {
			return log.list();
		},
		listRequests: (filter) => log.list(filter),
		clearRequests: () => log.clear(),
		get requestCounts() {
			return log.counts();
		},
		get config() {
			return structuredClone(config);
		},
		configure,
		get faults() {
			return faults.list();
		},
		setFaults: (rules) => faults.set(rules),
		addFaults: (rules) => faults.add(rules),
		reset,
		close() {
			closing.abort();
			for (const vendor of vendors) vendor.close?.();
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};

	reset();
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, HOST, () => {
			server.off('error', reject);
			resolve();
		});
	});
	controller.port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	controller.url = `http://${HOST}:${controller.port}`;
	return controller;
}
