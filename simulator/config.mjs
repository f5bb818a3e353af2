/** Defaults and validation of the simulator's knobs. */

export const VENDORS = Object.freeze(['bloomreach', 'customerGauge', 'blueshift']);

export const DEFAULT_CREDENTIALS = Object.freeze({
	bloomreach: Object.freeze({
		projectToken: 'sim-project',
		apiKeyId: 'sim-key-id',
		apiSecret: 'sim-secret',
		/** A private key without the permission GDPR > Anonymize customer. */
		readOnlyKeyId: 'sim-key-read-only',
		readOnlySecret: 'sim-secret-read-only',
	}),
	customerGauge: Object.freeze({
		apiKey: 'sim-cg-key',
		/** An OAuth2 Connected App, for the token endpoint and v6. */
		clientId: 'sim-cg-client',
		clientSecret: 'sim-cg-client-secret',
	}),
	blueshift: Object.freeze({
		userApiKey: 'sim-blueshift-user-key',
		/** Blueshift answers 401 to an Event API key. */
		eventApiKey: 'sim-blueshift-event-key',
	}),
});

const DEFAULT_RATE_LIMITS = { bloomreach: 10, customerGauge: 10, blueshift: 5 };

const DEFAULTS = {
	latencyMs: { bloomreach: 0, customerGauge: 0, blueshift: 0 },
	rateLimits: Object.fromEntries(
		VENDORS.map((vendor) => [vendor, { perSecond: DEFAULT_RATE_LIMITS[vendor], burst: DEFAULT_RATE_LIMITS[vendor] }]),
	),
	requestLog: 'full',
	customerGauge: { errorStatus: 400, tokenLifetimeMs: 3_600_000 },
	blueshift: { deletionDelayMs: 200, searchNoMatch: 'empty' },
};

/**
 * @param {Record<string, Record<string, string>>} [overrides]
 */
export function resolveCredentials(overrides = {}) {
	return Object.fromEntries(
		VENDORS.map((vendor) => [vendor, { ...DEFAULT_CREDENTIALS[vendor], ...(overrides[vendor] ?? {}) }]),
	);
}

/** The default knobs with `patch` applied. */
export function initialConfig(patch = {}) {
	return patchConfig(structuredClone(DEFAULTS), patch);
}

/**
 * A new config: `config` with the knobs in `patch` replaced. Throws a TypeError naming the
 * first bad knob, so a typo over HTTP answers 400 instead of being ignored.
 */
export function patchConfig(config, patch) {
	if (!isObject(patch)) throw new TypeError('config must be an object');
	const next = structuredClone(config);
	for (const [key, value] of Object.entries(patch)) {
		switch (key) {
			case 'latencyMs':
				next.latencyMs = perVendor(value, next.latencyMs, 'latencyMs', milliseconds);
				break;
			case 'rateLimits':
				next.rateLimits =
					value === false
						? Object.fromEntries(VENDORS.map((vendor) => [vendor, null]))
						: perVendor(value, next.rateLimits, 'rateLimits', rateLimit);
				break;
			case 'requestLog':
				if (value !== 'full' && value !== 'counts') throw new TypeError('requestLog must be "full" or "counts"');
				next.requestLog = value;
				break;
			case 'customerGauge':
				next.customerGauge = section(value, next.customerGauge, 'customerGauge', {
					errorStatus: (v) => {
						if (v !== 200 && v !== 400) throw new TypeError('customerGauge.errorStatus must be 200 or 400');
						return v;
					},
					tokenLifetimeMs: (v) => milliseconds(v, 'customerGauge.tokenLifetimeMs'),
				});
				break;
			case 'blueshift':
				next.blueshift = section(value, next.blueshift, 'blueshift', {
					deletionDelayMs: (v) => milliseconds(v, 'blueshift.deletionDelayMs'),
					searchNoMatch: (v) => {
						if (v !== 'empty' && v !== '404') throw new TypeError('blueshift.searchNoMatch must be "empty" or "404"');
						return v;
					},
				});
				break;
			default:
				throw new TypeError(`unknown config key "${key}"`);
		}
	}
	return next;
}

function isObject(value) {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function milliseconds(value, name) {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new TypeError(`${name} must be a number of milliseconds >= 0`);
	}
	return value;
}

/** `false` turns a vendor's limit off; a number is requests per second with a burst of as many. */
function rateLimit(value, name) {
	if (value === false || value === null) return null;
	const { perSecond, burst } =
		typeof value === 'number' ? { perSecond: value, burst: undefined } : isObject(value) ? value : {};
	if (typeof perSecond !== 'number' || !(perSecond > 0)) {
		throw new TypeError(`${name} must be false, requests per second > 0, or { perSecond, burst }`);
	}
	const bucket = burst ?? Math.max(1, perSecond);
	if (typeof bucket !== 'number' || !(bucket >= 1)) throw new TypeError(`${name}.burst must be a number >= 1`);
	return { perSecond, burst: bucket };
}

/** A number sets every vendor; an object sets the vendors it names, and `default` the others. */
function perVendor(value, current, name, check) {
	if (typeof value === 'number') return Object.fromEntries(VENDORS.map((vendor) => [vendor, check(value, name)]));
	if (!isObject(value)) throw new TypeError(`${name} must be a number or an object keyed by vendor`);
	const next = { ...current };
	if ('default' in value) for (const vendor of VENDORS) next[vendor] = check(value.default, `${name}.default`);
	for (const [vendor, entry] of Object.entries(value)) {
		if (vendor === 'default') continue;
		if (!VENDORS.includes(vendor)) throw new TypeError(`${name}: unknown vendor "${vendor}" (${VENDORS.join(', ')})`);
		next[vendor] = check(entry, `${name}.${vendor}`);
	}
	return next;
}

function section(value, current, name, checks) {
	if (!isObject(value)) throw new TypeError(`${name} must be an object`);
	const next = { ...current };
	for (const [key, entry] of Object.entries(value)) {
		if (!checks[key]) throw new TypeError(`unknown config key "${name}.${key}"`);
		next[key] = checks[key](entry);
	}
	return next;
}
