#!/usr/bin/env node
/**
 * Runs the vendor simulator until SIGINT/SIGTERM: node simulator/cli.mjs --port 4010
 */
import { parseArgs } from 'node:util';

import { startSimulator } from './index.mjs';

const USAGE = `Usage: node simulator/cli.mjs [options]

  --port <n>               port on 127.0.0.1 (default 4010; 0 picks a free one)
  --latency <spec>         answer delay in ms: "50", or per vendor "blueshift=80,default=20"
  --rate-limit <spec>      requests/s: "off", "20", or "blueshift=5,bloomreach=off" (defaults 10, 10, 5)
  --deletion-delay <ms>    Blueshift delete/forget take effect after this delay (default 200)
  --search-no-match <m>    Blueshift search without a match: "empty" (200, no users; default) or "404"
  --cg-error-status <n>    HTTP status of CustomerGauge {"Error": …} bodies: 400 (default) or 200
  --log <mode>             request log: "full" (default) or "counts"
  --generate <spec>        synthetic people, e.g. "bloomreach=100000,blueshift=1000"
  --help`;

/** "50" → 50; "a=1,b=off" → { a: 1, b: false }. */
function spec(text, flag) {
	const value = (word) => {
		if (word === 'off') return false;
		const number = Number(word);
		if (word === '' || !Number.isFinite(number)) throw new TypeError(`--${flag}: "${word}" is not a number`);
		return number;
	};
	if (!text.includes('=')) return value(text);
	return Object.fromEntries(
		text.split(',').map((pair) => {
			const [name, word = ''] = pair.split('=');
			return [name.trim(), value(word.trim())];
		}),
	);
}

function options(values) {
	const chosen = { port: Number(values.port) };
	if (values.latency !== undefined) chosen.latencyMs = spec(values.latency, 'latency');
	if (values['rate-limit'] !== undefined) chosen.rateLimits = spec(values['rate-limit'], 'rate-limit');
	if (values.log !== undefined) chosen.requestLog = values.log;
	if (values.generate !== undefined) chosen.generated = spec(values.generate, 'generate');
	if (values['deletion-delay'] !== undefined || values['search-no-match'] !== undefined) {
		chosen.blueshift = {
			...(values['deletion-delay'] !== undefined ? { deletionDelayMs: Number(values['deletion-delay']) } : {}),
			...(values['search-no-match'] !== undefined ? { searchNoMatch: values['search-no-match'] } : {}),
		};
	}
	if (values['cg-error-status'] !== undefined)
		chosen.customerGauge = { errorStatus: Number(values['cg-error-status']) };
	return chosen;
}

let simulator;
try {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '4010' },
			latency: { type: 'string' },
			'rate-limit': { type: 'string' },
			'deletion-delay': { type: 'string' },
			'search-no-match': { type: 'string' },
			'cg-error-status': { type: 'string' },
			log: { type: 'string' },
			generate: { type: 'string' },
			help: { type: 'boolean' },
		},
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	simulator = await startSimulator(options(values));
} catch (error) {
	console.error(`${error.message}\n\n${USAGE}`);
	process.exit(2);
}

const { url, credentials } = simulator;
const { latencyMs, rateLimits, blueshift, customerGauge, requestLog } = simulator.config;
const limit = (vendor) => (rateLimits[vendor] ? `${rateLimits[vendor].perSecond}/s` : 'off');
console.log(`Vendor simulator listening on ${url}

Bloomreach Engagement  Instance URL ${url}
  Project Token ${credentials.bloomreach.projectToken}, API Key ID ${credentials.bloomreach.apiKeyId}, API Secret ${credentials.bloomreach.apiSecret}
  (key without the anonymize permission: ${credentials.bloomreach.readOnlyKeyId} / ${credentials.bloomreach.readOnlySecret})
CustomerGauge          Region "Custom Base URL", Base URL ${url}
  API Key ${credentials.customerGauge.apiKey}
Blueshift              Region "Custom Base URL", Base URL ${url}
  User API Key ${credentials.blueshift.userApiKey} (Event API key, refused with 401: ${credentials.blueshift.eventApiKey})

Latency ms: bloomreach ${latencyMs.bloomreach}, customerGauge ${latencyMs.customerGauge}, blueshift ${latencyMs.blueshift}
Rate limits: bloomreach ${limit('bloomreach')}, customerGauge ${limit('customerGauge')}, blueshift ${limit('blueshift')}
Blueshift deletion delay ${blueshift.deletionDelayMs} ms, search without match: ${blueshift.searchNoMatch}; CustomerGauge error status ${customerGauge.errorStatus}; request log: ${requestLog}
Inspection: ${url}/__simulator/state, /requests, /config, /faults, /reset

Ctrl+C stops.`);

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, async () => {
		await simulator.close();
		console.log(`Stopped (${signal}).`);
		process.exit(0);
	});
}
