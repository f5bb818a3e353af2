/**
 * The local vendor simulator (simulator/), over real sockets on 127.0.0.1: each vendor's auth,
 * validation, erasure and read endpoints, rate limits, latency, faults, the request log, the
 * inspection API, and the package's own nodes and credential tests running against it.
 */
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import {
	DEFAULT_CREDENTIALS,
	fixtureIds,
	fixtures,
	generatedIdentity,
	startSimulator,
	type Simulator,
} from '../../simulator/index.mjs';
import { runCredentialTest, runNode } from '../harness/engine';
import { blueshiftByEmail } from '../harness/nodeParameters';

const BR = DEFAULT_CREDENTIALS.bloomreach;
const CG = DEFAULT_CREDENTIALS.customerGauge;
const BS = DEFAULT_CREDENTIALS.blueshift;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const BR_AUTH = basic(BR.apiKeyId, BR.apiSecret);
const CG_AUTH = `api_key ${CG.apiKey}`;
const BS_AUTH = basic(BS.userApiKey, '');

const BULK = `/data/v2/projects/${BR.projectToken}/customers/anonymize_bulk`;
const SINGLE = `/data/v2/projects/${BR.projectToken}/customers/anonymize`;
const CONSENT = `/data/v2/projects/${BR.projectToken}/consent/categories`;
const CG_PATH = '/v4.1/anonymize.json';
const ANONYMISED = 'This comment has been anonymised based on customer request';

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	body: unknown;
}

interface CallOptions {
	method?: string;
	auth?: string;
	headers?: Record<string, string>;
	json?: unknown;
	form?: Record<string, string>;
	raw?: string;
	signal?: AbortSignal;
	base?: string;
}

let sim: Simulator;

async function call(path: string, options: CallOptions = {}): Promise<Answer> {
	const { method = 'GET', auth, json, form, raw, signal, base = sim.url } = options;
	const headers: Record<string, string> = { ...(auth ? { authorization: auth } : {}), ...options.headers };
	let body: string | undefined = raw;
	if (json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(json);
	}
	if (form !== undefined) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(form).toString();
	}
	const response = await fetch(`${base}${path}`, { method, headers, body, signal });
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// kept as text
	}
	return { status: response.status, headers: response.headers, text, body: parsed };
}

const bloomreachBulk = (customers: unknown[]) => call(BULK, { method: 'POST', auth: BR_AUTH, json: { customers } });
const blueshift = (endpoint: 'delete' | 'forget', json: unknown, query = '') =>
	call(`/api/v1/customers/${endpoint}${query}`, { method: 'POST', auth: BS_AUTH, json });
const search = (query: string) => call(`/api/v1/customers?${query}`, { auth: BS_AUTH });
const cgAnonymize = (form: Record<string, string>) => call(CG_PATH, { method: 'POST', auth: CG_AUTH, form });

const customer = (internalId: string) => sim.state.bloomreach.customers.find((c) => c.internal_id === internalId)!;
const profilesWith = (email: string) => sim.state.blueshift.profiles.filter((p) => p.email === email);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sim = await startSimulator({ rateLimits: false, blueshift: { deletionDelayMs: 0 } });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
});

describe('server', () => {
	it('listens on 127.0.0.1 only, on a random port when asked for port 0', async () => {
		expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
		expect(sim.port).toBeGreaterThan(0);
		const other = await startSimulator({ port: 0 });
		try {
			expect(other.port).not.toBe(sim.port);
			expect((await call('/api/v1/customers?email=x@example.com', { base: other.url })).status).toBe(401);
		} finally {
			await other.close();
		}
	});

	it('answers 404 outside the three vendors and rejects unknown options', async () => {
		expect(await call('/v2/whatever')).toMatchObject({
			status: 404,
			body: { message: 'No simulated vendor serves /v2/whatever' },
		});
		await expect(startSimulator({ latencyMs: -1 })).rejects.toThrow('latencyMs must be a number of milliseconds >= 0');
		await expect(startSimulator({ bogus: 1 } as never)).rejects.toThrow('unknown config key "bogus"');
	});

	it('starts with the documented defaults', async () => {
		const fresh = await startSimulator();
		try {
			expect(fresh.config).toEqual({
				latencyMs: { bloomreach: 0, customerGauge: 0, blueshift: 0 },
				rateLimits: {
					bloomreach: { perSecond: 10, burst: 10 },
					customerGauge: { perSecond: 10, burst: 10 },
					blueshift: { perSecond: 5, burst: 5 },
				},
				requestLog: 'full',
				customerGauge: { errorStatus: 400, tokenLifetimeMs: 3_600_000 },
				blueshift: { deletionDelayMs: 200, searchNoMatch: 'empty' },
			});
			expect(fresh.credentials).toEqual(DEFAULT_CREDENTIALS);
		} finally {
			await fresh.close();
		}
	});
});

describe('Bloomreach Engagement', () => {
	describe('auth', () => {
		it('accepts the private key (Basic key ID : secret) and lists consent categories', async () => {
			const answer = await call(CONSENT, { auth: BR_AUTH });
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				success: true,
				results: [
					{ id: '5e5f8a1b2c3d4e5f6a7b8c9d', category_name: 'newsletter', legitimate_interest: false },
					{ id: '5e5f8a1b2c3d4e5f6a7b8c9e', category_name: 'personalisation', legitimate_interest: true },
				],
			});
		});

		it.each([
			['no Authorization header', undefined, 401, { success: false, errors: ['Access key not provided'] }],
			['a public-access Token header', 'Token sim-project', 400, { success: false, error: 'Could not authenticate' }],
			[
				'Basic without a colon',
				`Basic ${Buffer.from('sim-key-id').toString('base64')}`,
				400,
				{ success: false, error: 'Could not authenticate' },
			],
			[
				'an unknown key ID',
				basic('other-key', BR.apiSecret),
				401,
				{ success: false, errors: ['Access key not found'] },
			],
			['a wrong secret', basic(BR.apiKeyId, 'wrong'), 403, { success: false, errors: ['invalid secret'] }],
		])('refuses %s', async (_label, auth, status, body) => {
			const json = { customers: [{ internal_id: fixtureIds.bloomreach.ada.internalId }] };
			for (const answer of [await call(BULK, { method: 'POST', auth, json }), await call(CONSENT, { auth })]) {
				expect(answer.status).toBe(status);
				expect(answer.body).toEqual(body);
			}
			expect(customer(fixtureIds.bloomreach.ada.internalId).ids.registered).toBe('ada@example.com');
		});

		it('answers 404 for an unknown project token', async () => {
			const answer = await call('/data/v2/projects/other-project/customers/anonymize_bulk', {
				method: 'POST',
				auth: BR_AUTH,
				json: { customers: [{ customer_ids: { registered: 'ada@example.com' } }] },
			});
			expect(answer).toMatchObject({ status: 404, body: { success: false, errors: ['Project not found'] } });
		});

		it('lets a key without the anonymize permission read consent categories but not anonymize', async () => {
			const auth = basic(BR.readOnlyKeyId, BR.readOnlySecret);
			expect((await call(CONSENT, { auth })).status).toBe(200);
			const answer = await call(SINGLE, {
				method: 'POST',
				auth,
				json: { customer_ids: { registered: 'ada@example.com' } },
			});
			expect(answer).toMatchObject({ status: 403, body: { success: false, errors: ['No permission'] } });
		});
	});

	describe('validation', () => {
		const tooMany = Array.from({ length: 1001 }, (_, i) => ({ customer_ids: { registered: `p${i}@example.com` } }));
		it.each([
			['no customers', [], ['customers: at least 1 customer is required']],
			['1001 customers', tooMany, ['customers: at most 1000 customers per request, got 1001']],
			[
				'entries of the wrong shape',
				[
					'ada@example.com',
					{},
					{ customer_ids: { registered: 'a@example.com' }, internal_id: '57e99c7bfb60099395b94b6d' },
					{ customer_ids: {} },
					{ customer_ids: { registered: 42 } },
					{ internal_id: 'not-hex' },
					{ internal_id: '57e99c7bfb60099395b94b6' },
				],
				[
					'customers[0]: must be an object',
					'customers[1]: needs either customer_ids or internal_id',
					'customers[2]: needs either customer_ids or internal_id',
					'customers[3].customer_ids: must be an object with at least one customer ID',
					'customers[4].customer_ids.registered: must be a non-empty string',
					'customers[5].internal_id: "not-hex" is not a valid internal ID',
					'customers[6].internal_id: "57e99c7bfb60099395b94b6" is not a valid internal ID',
				],
			],
		])('refuses a bulk with %s, anonymizing nobody', async (_label, customers, errors) => {
			const answer = await bloomreachBulk(customers);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({ success: false, errors });
			expect(sim.state.bloomreach.anonymizations).toEqual([]);
		});

		it('refuses bodies without the list and invalid JSON', async () => {
			expect(await call(BULK, { method: 'POST', auth: BR_AUTH, json: { people: [] } })).toMatchObject({
				status: 400,
				body: { success: false, errors: ['customers: field is required'] },
			});
			expect(await call(BULK, { method: 'POST', auth: BR_AUTH, json: { customers: {} } })).toMatchObject({
				status: 400,
				body: { success: false, errors: ['customers: must be a list'] },
			});
			for (const path of [BULK, SINGLE]) {
				const answer = await call(path, {
					method: 'POST',
					auth: BR_AUTH,
					raw: '{"customers": [',
					headers: { 'content-type': 'application/json' },
				});
				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({ success: false, message: 'Invalid JSON' });
			}
			expect(
				await call(SINGLE, { method: 'POST', auth: BR_AUTH, json: { registered: 'ada@example.com' } }),
			).toMatchObject({
				status: 400,
				body: { success: false, errors: ['customer_ids: field is required'] },
			});
			expect(
				await call(SINGLE, { method: 'POST', auth: BR_AUTH, json: { customer_ids: { registered: '' } } }),
			).toMatchObject({
				status: 400,
				body: { success: false, errors: ['customer_ids.registered: must be a non-empty string'] },
			});
		});

		it('answers unknown paths 404 and wrong methods 405 in its own shape', async () => {
			expect(
				await call(`/data/v2/projects/${BR.projectToken}/customers/delete`, { method: 'POST', auth: BR_AUTH }),
			).toMatchObject({
				status: 404,
				body: { success: false, errors: ['Not found'] },
			});
			expect(await call(BULK, { auth: BR_AUTH })).toMatchObject({
				status: 405,
				body: { success: false, errors: ['Method not allowed'] },
			});
		});
	});

	describe('anonymization', () => {
		it('bulk: removes IDs and private properties, keeps the rest, assigns a new cookie, records the bulk_id', async () => {
			const { ada, grace, visitor } = fixtureIds.bloomreach;
			const answer = await bloomreachBulk([
				{ customer_ids: { registered: ada.registered } },
				{ internal_id: grace.internalId.toUpperCase() },
				{ customer_ids: { cookie: visitor.cookie } },
				{ customer_ids: { registered: 'nobody@example.com' } },
			]);

			expect(answer.status).toBe(200);
			const { bulk_id: bulkId } = answer.body as { bulk_id: string };
			expect(answer.body).toEqual({ success: true, bulk_id: expect.stringMatching(/^[0-9a-f]{24}$/) });
			const adaAfter = customer(ada.internalId);
			expect(Object.keys(adaAfter.ids)).toEqual(['cookie']);
			expect(adaAfter.ids.cookie).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
			expect(adaAfter.ids.cookie).not.toEqual(fixtures.bloomreach.customers[0].ids.cookie);
			expect(adaAfter.properties).toEqual({ country: 'GB', plan: 'premium', lifetime_value: 1250.5 });
			expect(adaAfter.events).toEqual([{ type: 'anonymization', timestamp: expect.any(Number), bulk_id: bulkId }]);
			const graceAfter = customer(grace.internalId);
			expect(graceAfter.ids).toEqual({ cookie: [expect.any(String)] });
			expect(graceAfter.properties).toEqual({ country: 'US', plan: 'basic', signup_date: '2021-03-04' });
			expect(customer(visitor.internalId).properties).toEqual({ country: 'NL', newsletter_consent: false });
			expect(customer(fixtureIds.bloomreach.linus.internalId).ids.registered).toBe('linus@example.com');
			expect(sim.state.bloomreach.anonymizations).toEqual([
				{
					endpoint: 'anonymize_bulk',
					bulk_id: bulkId,
					receivedAt: expect.any(Number),
					requested: 4,
					anonymized: [ada.internalId, grace.internalId, visitor.internalId],
					notFound: [{ customer_ids: { registered: 'nobody@example.com' } }],
				},
			]);

			const again = await bloomreachBulk([{ customer_ids: { registered: ada.registered } }]);
			expect(again.status).toBe(200);
			expect(sim.state.bloomreach.anonymizations[1]).toMatchObject({
				anonymized: [],
				notFound: [{ customer_ids: { registered: ada.registered } }],
			});
		});

		it('single: finds the customer by any of its IDs, including a project-defined one', async () => {
			const { grace } = fixtureIds.bloomreach;
			const answer = await call(SINGLE, {
				method: 'POST',
				auth: BR_AUTH,
				json: { customer_ids: { registered: 'unknown@example.com', crm_id: grace.crmId } },
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ success: true });
			expect(customer(grace.internalId)).toMatchObject({
				ids: { cookie: [expect.any(String)] },
				properties: { country: 'US', plan: 'basic', signup_date: '2021-03-04' },
				events: [{ type: 'anonymization', bulk_id: null }],
			});
			expect(sim.state.bloomreach.anonymizations).toEqual([
				expect.objectContaining({ endpoint: 'anonymize', bulk_id: null, anonymized: [grace.internalId], notFound: [] }),
			]);
		});

		it('handles 100 000 generated customers in 100 bulk requests', async () => {
			const big = await startSimulator({ rateLimits: false, generated: { bloomreach: 100_000 }, requestLog: 'counts' });
			try {
				const started = performance.now();
				for (let request = 0; request < 100; request++) {
					const customers = Array.from({ length: 1000 }, (_, i) => ({
						customer_ids: { registered: generatedIdentity(request * 1000 + i).email },
					}));
					const answer = await call(BULK, { method: 'POST', auth: BR_AUTH, json: { customers }, base: big.url });
					expect(answer.status).toBe(200);
				}
				const elapsedMs = performance.now() - started;
				const anonymizations = big.snapshot('bloomreach').anonymizations;
				expect(anonymizations.reduce((sum, entry) => sum + entry.anonymized.length, 0)).toBe(100_000);
				expect(anonymizations.every((entry) => entry.notFound.length === 0)).toBe(true);
				expect(big.requests).toEqual([]);
				expect(big.requestCounts).toEqual({ total: 100, byVendor: { bloomreach: { anonymize_bulk: { 200: 100 } } } });
				expect(elapsedMs).toBeLessThan(20_000);
			} finally {
				await big.close();
			}
		});
	});
});

describe('CustomerGauge OAuth2 and v6', () => {
	const V6_PATH = '/v6/system-admin/data-admin/contacts/anonymize';
	const token = async (form: Record<string, string>) => await call('/oauth2/token', { method: 'POST', form });
	const issue = async () =>
		(await token({ grant_type: 'client_credentials', client_id: CG.clientId, client_secret: CG.clientSecret }))
			.body as {
			access_token: string;
		};

	it('issues a Bearer token for the client ID and secret, in the form body or as HTTP Basic, and keeps the secret out of its log', async () => {
		const fromBody = await token({
			grant_type: 'client_credentials',
			client_id: CG.clientId,
			client_secret: CG.clientSecret,
		});
		const basic = `Basic ${Buffer.from(`${CG.clientId}:${CG.clientSecret}`).toString('base64')}`;
		const fromBasic = await call('/oauth2/token', {
			method: 'POST',
			auth: basic,
			form: { grant_type: 'client_credentials' },
		});

		for (const answer of [fromBody, fromBasic]) {
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				access_token: expect.stringMatching(/^sim-cg-token-/),
				token_type: 'Bearer',
				expires_in: 3600,
			});
		}
		expect(JSON.stringify(sim.requests)).not.toContain(CG.clientSecret);
		expect(sim.listRequests({ endpoint: 'token' })[0].body).toEqual({
			grant_type: 'client_credentials',
			client_id: CG.clientId,
			client_secret: '[redacted]',
		});
	});

	it('refuses a wrong secret (401 invalid_client) and another grant type (400)', async () => {
		expect(
			await token({ grant_type: 'client_credentials', client_id: CG.clientId, client_secret: 'wrong' }),
		).toMatchObject({
			status: 401,
			body: { error: 'invalid_client', error_description: 'Client authentication failed' },
		});
		expect(
			await token({ grant_type: 'password', client_id: CG.clientId, client_secret: CG.clientSecret }),
		).toMatchObject({
			status: 400,
			body: { error: 'unsupported_grant_type' },
		});
	});

	it('anonymizes by email or phone on v6 with a valid token, JSON only; the v4.1 preview takes the token too', async () => {
		const { access_token } = await issue();
		const auth = `Bearer ${access_token}`;

		expect(await call(V6_PATH, { method: 'POST', auth, json: { email: 'maria@example.com' } })).toMatchObject({
			status: 200,
			body: { message: 'Contact anonymized' },
		});
		expect(
			await call(V6_PATH, { method: 'POST', auth, json: { phone: fixtureIds.customerGauge.tom.telephone } }),
		).toMatchObject({
			status: 200,
		});
		expect(sim.state.customerGauge.anonymizations.map(({ by, api }) => [by, api])).toEqual([
			['email', 'v6'],
			['telephone', 'v6'],
		]);
		expect((await call(`${CG_PATH}?email=maria@example.com`, { auth })).body).toEqual({ Data: [] });
	});

	it('answers 401 on v6 without a Bearer token, to the API key, and to an expired token', async () => {
		expect(await call(V6_PATH, { method: 'POST', auth: CG_AUTH, json: { email: 'maria@example.com' } })).toMatchObject({
			status: 401,
			body: { Error: { Message: 'A Bearer access token is required', Code: 401 } },
		});
		sim.configure({ customerGauge: { tokenLifetimeMs: 0 } });
		const { access_token } = await issue();
		expect(
			await call(V6_PATH, { method: 'POST', auth: `Bearer ${access_token}`, json: { email: 'maria@example.com' } }),
		).toMatchObject({
			status: 401,
			body: { Error: { Message: 'The access token has expired', Code: 401 } },
		});
		expect(sim.state.customerGauge.anonymizations).toEqual([]);
	});
});

describe('CustomerGauge', () => {
	describe('auth', () => {
		it('accepts `Authorization: api_key <key>` and the documented ?api_key= query parameter', async () => {
			expect((await call(`${CG_PATH}?email=nobody@example.com`, { auth: CG_AUTH })).body).toEqual({ Data: [] });
			expect((await call(`${CG_PATH}?email=nobody@example.com&api_key=${CG.apiKey}`)).body).toEqual({ Data: [] });
		});

		it.each([
			['no key', undefined, 'Invalid API key'],
			['a wrong key', 'api_key wrong', 'Invalid API key'],
			['the key as a Bearer token', `Bearer ${CG.apiKey}`, 'Invalid access token'],
		])('answers 401 to %s', async (_label, auth, message) => {
			for (const answer of [
				await call(`${CG_PATH}?email=maria@example.com`, { auth }),
				await call(CG_PATH, { method: 'POST', auth, form: { email: 'maria@example.com' } }),
			]) {
				expect(answer.status).toBe(401);
				expect(answer.body).toEqual({ Error: { Message: message, Code: 401 } });
			}
			expect(sim.state.customerGauge.anonymizations).toEqual([]);
		});
	});

	describe('validation', () => {
		const NEITHER = { Error: { Message: 'Please make an API request by email or telephone' } };
		it.each([
			['both email and telephone', { email: 'maria@example.com', telephone: '+34600000001' }, NEITHER],
			['neither', {}, NEITHER],
			['only blank values', { email: ' ', telephone: '' }, NEITHER],
			['an invalid email', { email: 'maria@example' }, { Error: { Message: 'Email is not valid' } }],
		])('refuses %s with HTTP 400', async (_label, form, body) => {
			const answer = await cgAnonymize(form);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual(body);
			const query = new URLSearchParams(form).toString();
			expect(await call(`${CG_PATH}?${query}`, { auth: CG_AUTH })).toMatchObject({ status: 400, body });
		});

		it('reads only a form body: JSON carries no identifier', async () => {
			const answer = await call(CG_PATH, { method: 'POST', auth: CG_AUTH, json: { email: 'maria@example.com' } });
			expect(answer).toMatchObject({ status: 400, body: NEITHER });
		});

		it('answers Error bodies with HTTP 200 when the errorStatus knob says so', async () => {
			sim.configure({ customerGauge: { errorStatus: 200 } });
			expect(await cgAnonymize({ email: 'not-an-email' })).toMatchObject({
				status: 200,
				body: { Error: { Message: 'Email is not valid' } },
			});
			sim.reset();
			expect((await cgAnonymize({ email: 'not-an-email' })).status).toBe(400);
		});
	});

	it('previews every record of an email (any letter case) or telephone, and none for a stranger', async () => {
		const maria = await call(`${CG_PATH}?email=MARIA@example.com`, { auth: CG_AUTH });
		expect(maria.status).toBe(200);
		expect(maria.body).toEqual({ Data: fixtures.customerGauge.records.slice(0, 3) });
		const tom = (
			await call(`${CG_PATH}?telephone=${encodeURIComponent(fixtureIds.customerGauge.tom.telephone)}`, {
				auth: CG_AUTH,
			})
		).body as {
			Data: Array<{ record_id: number }>;
		};
		expect(tom.Data.map((record) => record.record_id)).toEqual(fixtureIds.customerGauge.tom.recordIds);
		expect(await call(`${CG_PATH}?email=nobody@example.com`, { auth: CG_AUTH })).toMatchObject({
			status: 200,
			body: { Data: [] },
		});
	});

	it('anonymizes every record of an email and leaves the others alone', async () => {
		const answer = await cgAnonymize({ email: fixtureIds.customerGauge.maria.email });

		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ Data: { message: 'Record updated successfully' } });
		const records = sim.state.customerGauge.records;
		for (const [index, record] of records.slice(0, 3).entries()) {
			const before = fixtures.customerGauge.records[index];
			expect(record).toEqual({
				...before,
				email: expect.stringMatching(/^anonymised-[0-9a-f]{16}@customergauge\.invalid$/),
				first_name: '***',
				last_name: '***',
				sms_telephone: '***',
				customer_number: '***',
				job_level: '*',
				job_position: '--',
				follow_up_details: '***',
				nps_comment: ANONYMISED,
				comment_translation: ANONYMISED,
				workflow_comment: ANONYMISED,
				additional_comment: ANONYMISED,
			});
		}
		expect(new Set(records.slice(0, 3).map((record) => record.email)).size).toBe(3);
		expect(records.slice(3)).toEqual(fixtures.customerGauge.records.slice(3));
		expect(sim.state.customerGauge.anonymizations).toEqual([
			{ at: expect.any(Number), by: 'email', value: 'maria@example.com', recordIds: [1001, 1002, 1003], api: 'v4.1' },
		]);
		expect((await call(`${CG_PATH}?email=maria@example.com`, { auth: CG_AUTH })).body).toEqual({ Data: [] });
	});

	it('anonymizes by telephone across emails, and accepts a contact with no records', async () => {
		expect((await cgAnonymize({ telephone: fixtureIds.customerGauge.tom.telephone })).status).toBe(200);
		const tom = sim.state.customerGauge.records.filter((record) => record.last_name === '***');
		expect(tom.map((record) => record.record_id)).toEqual([1004, 1005]);

		expect(await cgAnonymize({ email: 'nobody@example.com' })).toMatchObject({
			status: 200,
			body: { Data: { message: 'Record updated successfully' } },
		});
		expect(sim.state.customerGauge.anonymizations[1]).toMatchObject({
			by: 'email',
			value: 'nobody@example.com',
			recordIds: [],
		});
	});
});

describe('Blueshift', () => {
	describe('auth', () => {
		it.each([
			['no Authorization header', undefined],
			['the Event API key', basic(BS.eventApiKey, '')],
			['a wrong key', basic('wrong', '')],
			['a Bearer token', `Bearer ${BS.userApiKey}`],
		])('answers 401 to %s', async (_label, auth) => {
			for (const answer of [
				await call('/api/v1/customers?email=solo@example.com', { auth }),
				await call('/api/v1/customers/delete', { method: 'POST', auth, json: { email: 'solo@example.com' } }),
			]) {
				expect(answer.status).toBe(401);
				expect(answer.body).toEqual({ message: 'Not authorized' });
			}
			expect(sim.state.blueshift.jobs).toEqual([]);
		});

		it('accepts the User API key as Basic user with an empty password', async () => {
			expect((await search('email=solo@example.com')).status).toBe(200);
		});
	});

	describe('validation', () => {
		it.each([
			['no identifier', {}, { email: ["can't be blank when customer_id, cookie and device_id are blank"] }],
			[
				'blank identifiers',
				{ email: '', customer_id: null },
				{ email: ["can't be blank when customer_id, cookie and device_id are blank"] },
			],
			['a non-string identifier', { customer_id: 42 }, { customer_id: ['must be a string'] }],
			[
				'a flag that is not a boolean',
				{ email: 'solo@example.com', delete_all_matching_customers: 'yes' },
				{ delete_all_matching_customers: ['must be true or false'] },
			],
		])('refuses %s with 400 {"errors": …}', async (_label, json, errors) => {
			for (const endpoint of ['delete', 'forget'] as const) {
				const answer = await blueshift(endpoint, json);
				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({ errors });
			}
			expect(sim.state.blueshift.jobs).toEqual([]);
		});

		it('refuses invalid JSON and a search without an identifier', async () => {
			expect(
				await call('/api/v1/customers/delete', { method: 'POST', auth: BS_AUTH, raw: 'email=solo@example.com' }),
			).toMatchObject({
				status: 400,
				body: { errors: { body: ['must be a JSON object'] } },
			});
			expect(await search('name=solo')).toMatchObject({
				status: 400,
				body: { errors: { email: ["can't be blank when customer_id, cookie and device_id are blank"] } },
			});
		});
	});

	describe('search', () => {
		it('returns every matching profile, matching on all identifiers given', async () => {
			const trio = await search('email=TRIO@example.com');
			expect(trio.status).toBe(200);
			expect(trio.body).toEqual({ users: fixtures.blueshift.profiles.filter((p) => p.email === 'trio@example.com') });
			expect(((await search('email=crowd@example.com')).body as { users: unknown[] }).users).toHaveLength(120);
			const { solo } = fixtureIds.blueshift;
			for (const query of [
				`customer_id=${solo.customerId}`,
				`device_id=${solo.deviceId}`,
				`cookie=${solo.cookie}`,
				`email=${solo.email}&customer_id=${solo.customerId}`,
			]) {
				expect(((await search(query)).body as { users: Array<{ uuid: string }> }).users.map((u) => u.uuid)).toEqual([
					'00000000-0000-4000-8000-000000000600',
				]);
			}
			expect((await search(`email=${solo.email}&customer_id=trio-1`)).body).toEqual({ users: [] });
		});

		it('answers no match with an empty list, or 404 when the searchNoMatch knob says so', async () => {
			expect(await search('email=nobody@example.com')).toMatchObject({ status: 200, body: { users: [] } });
			sim.configure({ blueshift: { searchNoMatch: '404' } });
			expect(await search('email=nobody@example.com')).toMatchObject({
				status: 404,
				body: { message: 'Customer not found' },
			});
		});
	});

	describe('delete and forget', () => {
		it('deletes only the first (oldest) match without delete_all_matching_customers', async () => {
			const answer = await blueshift('delete', { email: 'trio@example.com' });
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'ok' });
			expect(profilesWith('trio@example.com').map((p) => p.customer_id)).toEqual(['trio-2', 'trio-3']);
			expect(sim.state.blueshift.jobs).toEqual([
				{
					id: 1,
					endpoint: 'delete',
					identifiers: { email: 'trio@example.com' },
					deleteAll: false,
					receivedAt: expect.any(Number),
					dueAt: expect.any(Number),
					completedAt: expect.any(Number),
					deletedUuids: ['00000000-0000-4000-8000-000000000501'],
				},
			]);
		});

		it('deletes at most 50 matches per request with the flag, in the body or the query string', async () => {
			const crowd = fixtureIds.blueshift.crowd.email;
			expect((await blueshift('delete', { email: crowd, delete_all_matching_customers: true })).status).toBe(200);
			expect(profilesWith(crowd)).toHaveLength(70);
			expect((await blueshift('delete', { email: crowd }, '?delete_all_matching_customers=true')).status).toBe(200);
			expect(profilesWith(crowd)).toHaveLength(20);
			expect((await blueshift('delete', { email: crowd, delete_all_matching_customers: 'true' })).status).toBe(200);
			expect(profilesWith(crowd)).toEqual([]);
			expect(sim.state.blueshift.jobs.map((job) => job.deletedUuids.length)).toEqual([50, 50, 20]);
			expect(sim.state.blueshift.profiles).toHaveLength(fixtures.blueshift.profiles.length - 120);
		});

		it('narrows a delete to the profiles that match every identifier', async () => {
			await blueshift('delete', {
				email: 'crowd@example.com',
				customer_id: 'crowd-077',
				delete_all_matching_customers: true,
			});
			expect(sim.state.blueshift.jobs[0].deletedUuids).toEqual(['00000000-0000-4000-8000-000000000077']);
			expect(profilesWith('crowd@example.com')).toHaveLength(119);
		});

		it('takes effect only after the deletion delay', async () => {
			sim.configure({ blueshift: { deletionDelayMs: 300 } });
			expect((await blueshift('delete', { email: 'solo@example.com' })).body).toEqual({ status: 'ok' });
			expect(((await search('email=solo@example.com')).body as { users: unknown[] }).users).toHaveLength(1);
			expect(sim.state.blueshift.jobs[0]).toMatchObject({ completedAt: null, deletedUuids: [] });
			const { receivedAt, dueAt } = sim.state.blueshift.jobs[0];
			expect(dueAt - receivedAt).toBe(300);

			await sleep(dueAt + 100 - Date.now());

			expect((await search('email=solo@example.com')).body).toEqual({ users: [] });
			expect(sim.state.blueshift.jobs[0].deletedUuids).toEqual(['00000000-0000-4000-8000-000000000600']);
		});

		it('looks the matches up when a queued job runs, so back-to-back requests take the next 50', async () => {
			sim.configure({ blueshift: { deletionDelayMs: 200 } });
			const crowd = { email: 'crowd@example.com', delete_all_matching_customers: true };
			await Promise.all([blueshift('delete', crowd), blueshift('delete', crowd), blueshift('delete', crowd)]);
			expect(profilesWith('crowd@example.com')).toHaveLength(120);
			await sleep(Math.max(...sim.state.blueshift.jobs.map((job) => job.dueAt)) + 100 - Date.now());
			expect(profilesWith('crowd@example.com')).toEqual([]);
		});

		it('forgets every match, and answers 413 when more than 50 match', async () => {
			expect(await blueshift('forget', { email: 'trio@example.com' })).toMatchObject({
				status: 200,
				body: { status: 'ok' },
			});
			expect(profilesWith('trio@example.com')).toEqual([]);
			expect(sim.state.blueshift.jobs[0]).toMatchObject({ endpoint: 'forget', deletedUuids: expect.any(Array) });
			expect(sim.state.blueshift.jobs[0].deletedUuids).toHaveLength(3);

			expect(await blueshift('forget', { email: 'crowd@example.com' })).toMatchObject({
				status: 413,
				body: { message: 'More than 50 users match this request' },
			});
			expect(profilesWith('crowd@example.com')).toHaveLength(120);
			expect(sim.state.blueshift.jobs).toHaveLength(1);
		});

		it('answers ok for an identifier that matches nobody', async () => {
			expect(await blueshift('delete', { email: 'nobody@example.com' })).toMatchObject({
				status: 200,
				body: { status: 'ok' },
			});
			expect(sim.state.blueshift.jobs[0].deletedUuids).toEqual([]);
		});
	});
});

describe('rate limits', () => {
	it("answers 429 with Retry-After in each vendor's shape once the bucket is full", async () => {
		sim.configure({ rateLimits: { default: { perSecond: 1, burst: 2 } } });
		const requests = {
			bloomreach: () => call(CONSENT, { auth: BR_AUTH }),
			customerGauge: () => call(`${CG_PATH}?email=nobody@example.com`, { auth: CG_AUTH }),
			blueshift: () => search('email=nobody@example.com'),
		};
		const refusals = {
			bloomreach: { success: false, errors: ['Rate limit exceeded'] },
			customerGauge: { Error: { Message: 'Rate limit exceeded', Code: 429 } },
			blueshift: { message: 'Rate limit exceeded' },
		};
		for (const [vendor, request] of Object.entries(requests) as Array<[keyof typeof requests, () => Promise<Answer>]>) {
			const answers = [await request(), await request(), await request()];
			expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
			expect(answers[2].body).toEqual(refusals[vendor]);
			expect(answers[2].headers.get('retry-after')).toBe('1');
		}
	});

	it('limits Blueshift to 5 requests per second by default, as a leaky bucket', async () => {
		const limited = await startSimulator();
		try {
			const answers = await Promise.all(
				Array.from({ length: 7 }, () =>
					call('/api/v1/customers?email=solo@example.com', { auth: BS_AUTH, base: limited.url }),
				),
			);
			expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429]);
			await sleep(450);
			const later = await Promise.all(
				Array.from({ length: 3 }, () =>
					call('/api/v1/customers?email=solo@example.com', { auth: BS_AUTH, base: limited.url }),
				),
			);
			expect(later.map((answer) => answer.status).sort()).toEqual([200, 200, 429]);
		} finally {
			await limited.close();
		}
	});

	it('can be turned off per vendor', async () => {
		sim.configure({ rateLimits: { default: { perSecond: 1, burst: 1 }, customerGauge: false } });
		const statuses = [];
		for (let i = 0; i < 5; i++)
			statuses.push((await call(`${CG_PATH}?email=nobody@example.com`, { auth: CG_AUTH })).status);
		expect(statuses).toEqual([200, 200, 200, 200, 200]);
		expect((await search('email=x@example.com')).status).toBe(200);
		expect((await search('email=x@example.com')).status).toBe(429);
	});
});

describe('latency', () => {
	it('delays answers per vendor', async () => {
		sim.configure({ latencyMs: { customerGauge: 150 } });
		const started = performance.now();
		await call(`${CG_PATH}?email=nobody@example.com`, { auth: CG_AUTH });
		expect(performance.now() - started).toBeGreaterThanOrEqual(145);
		await search('email=nobody@example.com');
		expect(sim.requests[0].durationMs).toBeGreaterThanOrEqual(145);
		expect(sim.requests[1].durationMs).toBeLessThan(100);
	});

	it('answers a whole batch sent at once without a listener-leak warning', async () => {
		sim.configure({ latencyMs: { customerGauge: 50 } });
		const warnings: Error[] = [];
		const onWarning = (warning: Error) => warnings.push(warning);
		process.on('warning', onWarning);
		try {
			const answers = await Promise.all(
				Array.from({ length: 30 }, () => call(`${CG_PATH}?email=nobody@example.com`, { auth: CG_AUTH })),
			);
			expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
			await new Promise((resolve) => setImmediate(resolve));
		} finally {
			process.off('warning', onWarning);
		}
		expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
	});
});

describe('faults', () => {
	const adaBulk = () => bloomreachBulk([{ customer_ids: { registered: 'ada@example.com' } }]);
	const adaAnonymized = () => customer(fixtureIds.bloomreach.ada.internalId).events.length > 0;

	it("status: answers the given status in the vendor's shape, for the next `times` requests after `after`", async () => {
		sim.setFaults({
			vendor: 'bloomreach',
			endpoint: 'anonymize_bulk',
			kind: 'status',
			status: 503,
			times: 2,
			after: 1,
		});
		expect((await call(CONSENT, { auth: BR_AUTH })).status).toBe(200);
		expect((await adaBulk()).status).toBe(200);
		sim.reset();
		sim.setFaults({
			vendor: 'bloomreach',
			endpoint: 'anonymize_bulk',
			kind: 'status',
			status: 503,
			times: 2,
			after: 1,
		});
		const answers = [await adaBulk(), await adaBulk(), await adaBulk(), await adaBulk()];
		expect(answers.map((answer) => answer.status)).toEqual([200, 503, 503, 200]);
		expect(answers[1].body).toEqual({ success: false, errors: ['Simulated HTTP 503'] });
		expect(sim.faults).toEqual([]);
		expect(sim.requests.map((entry) => entry.fault)).toEqual([null, 'status', 'status', null]);
	});

	it('status: sends a custom body and headers, and can carry out the request first', async () => {
		sim.setFaults([
			{
				vendor: 'blueshift',
				kind: 'status',
				status: 429,
				body: { message: 'slow down' },
				headers: { 'Retry-After': '7' },
			},
			{ vendor: 'customerGauge', kind: 'status', status: 200, body: 'OK', afterProcessing: true },
		]);
		const limited = await search('email=solo@example.com');
		expect(limited).toMatchObject({ status: 429, body: { message: 'slow down' } });
		expect(limited.headers.get('retry-after')).toBe('7');
		const lost = await cgAnonymize({ email: 'nina@example.com' });
		expect(lost).toMatchObject({ status: 200, text: 'OK' });
		expect(lost.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(sim.state.customerGauge.anonymizations).toHaveLength(1);
	});

	it('reset: closes the connection without an answer; the erasure happens only with afterProcessing', async () => {
		sim.setFaults({ vendor: 'bloomreach', kind: 'reset' });
		await expect(adaBulk()).rejects.toThrow('fetch failed');
		expect(adaAnonymized()).toBe(false);
		sim.setFaults({ vendor: 'bloomreach', kind: 'reset', afterProcessing: true });
		const failure = await adaBulk().catch((error: Error & { cause?: { code?: string } }) => error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
		expect(adaAnonymized()).toBe(true);
		expect(sim.requests.map((entry) => [entry.status, entry.fault])).toEqual([
			[null, 'reset'],
			[null, 'reset'],
		]);
		expect((await adaBulk()).status).toBe(200);
	});

	it('slow: carries out the request at once and answers after delayMs, beyond a client timeout', async () => {
		sim.setFaults({ vendor: 'customerGauge', endpoint: 'anonymize', kind: 'slow', delayMs: 1000 });
		const started = performance.now();
		await expect(
			call(CG_PATH, {
				method: 'POST',
				auth: CG_AUTH,
				form: { email: 'nina@example.com' },
				signal: AbortSignal.timeout(100),
			}),
		).rejects.toThrow('The operation was aborted due to timeout');
		expect(performance.now() - started).toBeLessThan(900);
		expect(sim.state.customerGauge.anonymizations).toHaveLength(1);

		sim.setFaults({ vendor: 'customerGauge', kind: 'slow', delayMs: 150 });
		const patient = performance.now();
		expect(await call(`${CG_PATH}?email=nobody@example.com`, { auth: CG_AUTH })).toMatchObject({
			status: 200,
			body: { Data: [] },
		});
		expect(performance.now() - patient).toBeGreaterThanOrEqual(145);
	});

	it('html: an HTML error page, 502 by default', async () => {
		sim.setFaults([
			{ vendor: 'blueshift', kind: 'html' },
			{ vendor: 'blueshift', kind: 'html', status: 504 },
		]);
		const first = await search('email=solo@example.com');
		expect(first.status).toBe(502);
		expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(first.text).toContain('<title>502 Bad Gateway</title>');
		const second = await search('email=solo@example.com');
		expect(second.status).toBe(504);
		expect(second.text).toContain('<h1>504 Gateway Timeout</h1>');
	});

	it('empty: an empty body, 200 by default', async () => {
		sim.setFaults({ kind: 'empty', times: 'always' });
		for (const answer of [await adaBulk(), await search('email=solo@example.com')]) {
			expect(answer.status).toBe(200);
			expect(answer.text).toBe('');
			expect(answer.headers.get('content-length')).toBe('0');
		}
		expect(adaAnonymized()).toBe(false);
		expect(sim.faults).toHaveLength(1);
	});

	it('truncated: carries out the request and sends half of its JSON answer', async () => {
		sim.setFaults({ vendor: 'customerGauge', endpoint: 'anonymize', kind: 'truncated' });
		const answer = await cgAnonymize({ email: 'nina@example.com' });
		const full = JSON.stringify({ Data: { message: 'Record updated successfully' } });
		expect(answer.status).toBe(200);
		expect(answer.text).toBe(full.slice(0, Math.floor(full.length / 2)));
		expect(() => JSON.parse(answer.text)).toThrow();
		expect(sim.state.customerGauge.anonymizations).toHaveLength(1);
	});

	it('are validated', () => {
		expect(() => sim.setFaults({ kind: 'explode' } as never)).toThrow(
			'fault kind must be one of status, reset, slow, html, empty, truncated',
		);
		expect(() => sim.setFaults({ kind: 'status' })).toThrow('a status fault needs a status');
		expect(() => sim.setFaults({ vendor: 'customerGauge', endpoint: 'anonymize_bulk', kind: 'reset' })).toThrow(
			'fault endpoint must be one of anonymize, preview',
		);
		expect(() => sim.setFaults({ kind: 'reset', times: 0 })).toThrow(
			'fault times must be a whole number >= 1 or "always"',
		);
	});

	it('are set, listed and cleared over HTTP', async () => {
		const rule = { vendor: 'blueshift', endpoint: 'delete', kind: 'status', status: 500, times: 2 };
		expect(await call('/__simulator/faults', { method: 'POST', json: rule })).toMatchObject({
			status: 200,
			body: [{ ...rule, after: 0, headers: {}, afterProcessing: false }],
		});
		expect((await blueshift('delete', { email: 'solo@example.com' })).body).toEqual({ message: 'Simulated HTTP 500' });
		expect((await call('/__simulator/faults')).body).toEqual([
			{ ...rule, times: 1, after: 0, headers: {}, afterProcessing: false },
		]);
		expect(
			(await call('/__simulator/faults', { method: 'PUT', json: [{ kind: 'empty' }, { kind: 'html' }] })).body,
		).toHaveLength(2);
		expect((await call('/__simulator/faults', { method: 'DELETE' })).body).toEqual([]);
		expect(await call('/__simulator/faults', { method: 'POST', json: { kind: 'nope' } })).toMatchObject({
			status: 400,
			body: { error: 'fault kind must be one of status, reset, slow, html, empty, truncated' },
		});
		expect(
			await call('/__simulator/config', {
				method: 'POST',
				json: { faults: [{ vendor: 'bloomreach', kind: 'reset' }], latencyMs: 5 },
			}),
		).toMatchObject({
			status: 200,
			body: {
				latencyMs: { bloomreach: 5, customerGauge: 5, blueshift: 5 },
				faults: [expect.objectContaining({ kind: 'reset' })],
			},
		});
	});
});

describe('request log', () => {
	it('records method, path, query, redacted headers, parsed body, status and a sub-ms timestamp', async () => {
		const before = Date.now();
		await bloomreachBulk([{ customer_ids: { registered: 'ada@example.com' } }]);
		await cgAnonymize({ email: 'nina@example.com' });
		await call(`${CG_PATH}?email=nina@example.com&api_key=${CG.apiKey}`);
		await search('email=solo@example.com');
		await call(CONSENT, { auth: 'Token public-token' });

		const entries = sim.requests;
		expect(
			entries.map(({ seq, vendor, endpoint, method, path, status, fault }) => ({
				seq,
				vendor,
				endpoint,
				method,
				path,
				status,
				fault,
			})),
		).toEqual([
			{
				seq: 1,
				vendor: 'bloomreach',
				endpoint: 'anonymize_bulk',
				method: 'POST',
				path: BULK,
				status: 200,
				fault: null,
			},
			{
				seq: 2,
				vendor: 'customerGauge',
				endpoint: 'anonymize',
				method: 'POST',
				path: CG_PATH,
				status: 200,
				fault: null,
			},
			{ seq: 3, vendor: 'customerGauge', endpoint: 'preview', method: 'GET', path: CG_PATH, status: 200, fault: null },
			{
				seq: 4,
				vendor: 'blueshift',
				endpoint: 'search',
				method: 'GET',
				path: '/api/v1/customers',
				status: 200,
				fault: null,
			},
			{
				seq: 5,
				vendor: 'bloomreach',
				endpoint: 'consent_categories',
				method: 'GET',
				path: CONSENT,
				status: 400,
				fault: null,
			},
		]);
		expect(entries.map((entry) => entry.headers.authorization)).toEqual([
			'Basic [REDACTED]',
			'api_key [REDACTED]',
			undefined,
			'Basic [REDACTED]',
			'Token [REDACTED]',
		]);
		expect(entries[0].body).toEqual({ customers: [{ customer_ids: { registered: 'ada@example.com' } }] });
		expect(entries[0].headers['content-type']).toBe('application/json');
		expect(entries[1].body).toEqual({ email: 'nina@example.com' });
		expect(entries[2].query).toEqual({ email: 'nina@example.com', api_key: '[REDACTED]' });
		expect(entries[3].query).toEqual({ email: 'solo@example.com' });
		expect(entries[3].body).toBeUndefined();
		const serialized = JSON.stringify(entries);
		for (const secret of [BR.apiSecret, CG.apiKey, BS.userApiKey, 'public-token', BR_AUTH.slice(6), BS_AUTH.slice(6)]) {
			expect(serialized).not.toContain(secret);
		}
		for (const [index, entry] of entries.entries()) {
			expect(entry.at).toBeGreaterThanOrEqual(before - 1);
			expect(entry.at).toBeLessThanOrEqual(Date.now() + 1);
			if (index > 0) expect(entry.at).toBeGreaterThan(entries[index - 1].at);
			expect(entry.durationMs).toBeGreaterThanOrEqual(0);
		}
		expect(entries.some((entry) => !Number.isInteger(entry.at))).toBe(true);
		expect(sim.requestCounts).toEqual({
			total: 5,
			byVendor: {
				bloomreach: { anonymize_bulk: { 200: 1 }, consent_categories: { 400: 1 } },
				customerGauge: { anonymize: { 200: 1 }, preview: { 200: 1 } },
				blueshift: { search: { 200: 1 } },
			},
		});
	});

	it('is served over HTTP, filtered by vendor, endpoint and sequence number, and cleared', async () => {
		await search('email=solo@example.com');
		await cgAnonymize({ email: 'nina@example.com' });
		await search('email=trio@example.com');
		const answer = await call('/__simulator/requests?vendor=blueshift&since=1');
		expect(answer.status).toBe(200);
		const body = answer.body as {
			mode: string;
			counts: { total: number };
			requests: Array<{ seq: number; query: unknown }>;
		};
		expect(body.mode).toBe('full');
		expect(body.counts.total).toBe(3);
		expect(body.requests.map((entry) => [entry.seq, entry.query])).toEqual([[3, { email: 'trio@example.com' }]]);
		expect(
			((await call('/__simulator/requests?endpoint=anonymize')).body as { requests: unknown[] }).requests,
		).toHaveLength(1);
		expect((await call('/__simulator/requests', { method: 'DELETE' })).body).toEqual({ ok: true });
		expect(sim.requests).toEqual([]);
		expect(sim.requestCounts).toEqual({ total: 0, byVendor: {} });
	});

	it('leaves out a request still in flight when the log is reset', async () => {
		sim.setFaults({ vendor: 'blueshift', kind: 'slow', delayMs: 200 });
		const pending = search('email=solo@example.com');
		while (sim.faults.length) await sleep(5);
		sim.reset();
		expect((await pending).status).toBe(200);
		expect(sim.requests).toEqual([]);
		expect(sim.requestCounts.total).toBe(0);
	});

	it('keeps only counts in mode "counts"', async () => {
		sim.configure({ requestLog: 'counts' });
		await search('email=solo@example.com');
		await call('/api/v1/customers?email=solo@example.com');
		await call('/nowhere');
		expect(sim.requests).toEqual([]);
		expect(sim.requestCounts).toEqual({
			total: 3,
			byVendor: { blueshift: { search: { 200: 1, 401: 1 } }, unrouted: { unrouted: { 404: 1 } } },
		});
	});
});

describe('inspection API', () => {
	it('serves the state, whole or per vendor', async () => {
		const all = (await call('/__simulator/state')).body as Record<string, unknown>;
		expect(Object.keys(all)).toEqual(['bloomreach', 'customerGauge', 'blueshift']);
		const cg = await call('/__simulator/state?vendor=customerGauge');
		expect(cg.body).toEqual({ records: fixtures.customerGauge.records, anonymizations: [], tokens: [] });
		expect(await call('/__simulator/state?vendor=segment')).toMatchObject({
			status: 400,
			body: { error: 'vendor must be one of bloomreach, customerGauge, blueshift' },
		});
	});

	it('serves and changes the config, refusing unknown knobs', async () => {
		const config = await call('/__simulator/config');
		expect(config.body).toMatchObject({ rateLimits: { bloomreach: null }, credentials: DEFAULT_CREDENTIALS });
		expect(
			await call('/__simulator/config', {
				method: 'POST',
				json: { blueshift: { deletionDelayMs: 75 }, rateLimits: { blueshift: 3 } },
			}),
		).toMatchObject({
			status: 200,
			body: {
				blueshift: { deletionDelayMs: 75, searchNoMatch: 'empty' },
				rateLimits: { blueshift: { perSecond: 3, burst: 3 } },
			},
		});
		expect(sim.config.blueshift.deletionDelayMs).toBe(75);
		expect(await call('/__simulator/config', { method: 'POST', json: { blueshift: { delay: 1 } } })).toMatchObject({
			status: 400,
			body: { error: 'unknown config key "blueshift.delay"' },
		});
		expect(await call('/__simulator/config', { method: 'POST', raw: '{' })).toMatchObject({
			status: 400,
			body: { error: 'Invalid JSON' },
		});
		expect(await call('/__simulator/nothing')).toMatchObject({
			status: 404,
			body: { error: 'No inspection endpoint GET /__simulator/nothing' },
		});
	});

	it('resets to the fixtures, the start config and an empty log', async () => {
		sim.configure({ latencyMs: 20, blueshift: { deletionDelayMs: 500 } });
		sim.setFaults({ kind: 'empty', times: 'always', vendor: 'blueshift' });
		await bloomreachBulk([{ customer_ids: { registered: 'ada@example.com' } }]);
		await cgAnonymize({ email: 'maria@example.com' });
		await blueshift('delete', { email: 'solo@example.com' });

		expect(await call('/__simulator/reset', { method: 'POST' })).toMatchObject({ status: 200, body: { ok: true } });

		expect(sim.state.bloomreach.customers).toEqual(fixtures.bloomreach.customers.map((c) => ({ ...c, events: [] })));
		expect(sim.state.bloomreach.anonymizations).toEqual([]);
		expect(sim.state.customerGauge).toEqual({
			records: fixtures.customerGauge.records,
			anonymizations: [],
			tokens: [],
		});
		expect(sim.state.blueshift).toEqual({ profiles: fixtures.blueshift.profiles, jobs: [] });
		expect(sim.requests).toEqual([]);
		expect(sim.faults).toEqual([]);
		expect(sim.config.latencyMs).toEqual({ bloomreach: 0, customerGauge: 0, blueshift: 0 });
		await sleep(600);
		expect(profilesWith('solo@example.com')).toHaveLength(1);
	});
});

describe('the package against the simulator', () => {
	const bloomreachCredentials = () => ({
		bloomreachEngagementApi: {
			instanceUrl: sim.url,
			projectToken: BR.projectToken,
			apiKeyId: BR.apiKeyId,
			apiSecret: BR.apiSecret,
		},
	});
	const customerGaugeCredentials = () => ({
		customerGaugeApi: { region: 'custom', customBaseUrl: sim.url, apiKey: CG.apiKey },
	});

	it('passes the three credential tests with the right keys and fails them with wrong ones', async () => {
		const ok = { status: 'OK', message: 'Connection successful!' };
		expect(await runCredentialTest('bloomreachEngagementApi', bloomreachCredentials().bloomreachEngagementApi)).toEqual(
			ok,
		);
		expect(await runCredentialTest('customerGaugeApi', customerGaugeCredentials().customerGaugeApi)).toEqual(ok);
		expect(
			await runCredentialTest('blueshiftApi', { region: 'custom', customBaseUrl: sim.url, userApiKey: BS.userApiKey }),
		).toEqual(ok);
		expect(
			await runCredentialTest('blueshiftApi', { region: 'custom', customBaseUrl: sim.url, userApiKey: BS.eventApiKey }),
		).toEqual({
			status: 'Error',
			message:
				'Unauthorized (HTTP 401): Blueshift refused the credentials. Use the User API key (Account Settings > API Keys > User API key), not the Event API key, and check the region or base URL.',
		});
		expect(
			await runCredentialTest('bloomreachEngagementApi', {
				...bloomreachCredentials().bloomreachEngagementApi,
				apiSecret: 'wrong',
			}),
		).toEqual({
			status: 'Error',
			message:
				'Forbidden (HTTP 403): Bloomreach refused the credentials. Check the API key ID, secret and project token, and the Instance URL.',
		});
		expect(sim.requests.map((entry) => entry.headers.authorization)).toEqual([
			'Basic [REDACTED]',
			'api_key [REDACTED]',
			'Basic [REDACTED]',
			'Basic [REDACTED]',
			'Basic [REDACTED]',
		]);
	});

	it('runs the Bloomreach node: a bulk of mixed IDs and a single anonymization', async () => {
		const { ada, grace, linus } = fixtureIds.bloomreach;
		const bulk = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				resource: 'customer',
				operation: 'anonymizeBulk',
				identifyBy: '={{ $json.internal_id ? "internalId" : "customerId" }}',
				customerIdName: 'registered',
				customerIdValue: '={{ $json.email }}',
				internalId: '={{ $json.internal_id }}',
			},
			credentials: bloomreachCredentials(),
			items: [{ email: ada.registered }, { internal_id: grace.internalId }, { email: 'nobody@example.com' }],
		});
		expect(bulk.error).toBeUndefined();
		const bulkId = sim.state.bloomreach.anonymizations[0].bulk_id;
		expect(bulk.main.map((item) => [item.json.status, item.json.vendorReference])).toEqual([
			['accepted', bulkId],
			['accepted', bulkId],
			['accepted', bulkId],
		]);
		expect(sim.state.bloomreach.anonymizations[0]).toMatchObject({
			anonymized: [ada.internalId, grace.internalId],
			notFound: [{ customer_ids: { registered: 'nobody@example.com' } }],
		});

		const single = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				resource: 'customer',
				operation: 'anonymize',
				customerIds: { ids: [{ idName: 'registered', idValue: '={{ $json.email }}' }] },
			},
			credentials: bloomreachCredentials(),
			items: [{ email: linus.registered }],
		});
		expect(single.error).toBeUndefined();
		expect(single.main[0].json).toMatchObject({ status: 'accepted', httpStatus: 200 });
		expect(customer(linus.internalId).properties).toEqual({ country: 'FI', plan: 'free' });
	});

	it('runs the CustomerGauge node: preview, then anonymize, and retries a 503', async () => {
		const parameters = {
			resource: 'contact',
			authentication: 'apiKey',
			identifyBy: 'email',
			email: '={{ $json.email }}',
			telephone: '={{ $json.phone }}',
		};
		const preview = await runNode({
			node: new CustomerGauge(),
			parameters: { ...parameters, operation: 'preview' },
			credentials: customerGaugeCredentials(),
			items: [{ email: 'maria@example.com' }],
		});
		expect(preview.error).toBeUndefined();
		expect(preview.main[0].json).toMatchObject({ status: 'found', recordCount: 3 });

		sim.setFaults({ vendor: 'customerGauge', endpoint: 'anonymize', kind: 'status', status: 503 });
		const anonymize = await runNode({
			node: new CustomerGauge(),
			parameters: { ...parameters, operation: 'anonymize', options: { maxRetryWait: 50 } },
			credentials: customerGaugeCredentials(),
			items: [{ email: 'maria@example.com' }],
		});
		expect(anonymize.error).toBeUndefined();
		expect(anonymize.main[0].json).toMatchObject({ status: 'accepted', httpStatus: 200, attempts: 2 });
		expect(sim.listRequests({ endpoint: 'anonymize' }).map((entry) => [entry.status, entry.body])).toEqual([
			[503, { email: 'maria@example.com' }],
			[200, { email: 'maria@example.com' }],
		]);
		expect(sim.state.customerGauge.records.slice(0, 3).every((record) => record.first_name === '***')).toBe(true);
	});

	describe('the Blueshift node', () => {
		const blueshiftCredentials = () => ({
			blueshiftApi: { region: 'custom', customBaseUrl: sim.url, userApiKey: BS.userApiKey },
		});
		const runBlueshift = (
			operation: 'forget' | 'delete' | 'search',
			items: Array<Record<string, unknown>>,
			extra: Record<string, unknown> = {},
		) =>
			runNode({
				node: new Blueshift(),
				parameters: { ...blueshiftByEmail(operation), ...extra },
				credentials: blueshiftCredentials(),
				items,
			});

		it('searches, then deletes all matching profiles of a crowd, 50 per request, and says how many are left', async () => {
			const search = await runBlueshift('search', [{ email: 'crowd@example.com' }, { email: 'trio@example.com' }]);
			expect(search.main.map((item) => [item.json.status, item.json.profileCount])).toEqual([
				['found', 120],
				['found', 3],
			]);

			const deletion = await runBlueshift('delete', [{ email: 'crowd@example.com' }, { email: 'nobody@example.com' }], {
				deleteAllMatching: true,
				options: { countMatchesFirst: true, maxConcurrentRequests: 1 },
			});

			expect(deletion.error).toBeUndefined();
			expect(
				deletion.main.map((item) => [item.json.status, item.json.matchedProfiles, item.json.profilesNotCovered]),
			).toEqual([
				['accepted', 120, 70],
				['skipped', 0, 0],
			]);
			expect(sim.listRequests({ vendor: 'blueshift' }).map((entry) => `${entry.method} ${entry.endpoint}`)).toEqual([
				'GET search',
				'GET search',
				'GET search',
				'POST delete',
				'GET search',
			]);
			expect(profilesWith('crowd@example.com')).toHaveLength(70);
		});

		it('forgets a customer by customer ID and device ID, and the profile is gone', async () => {
			const { solo } = fixtureIds.blueshift;
			const result = await runBlueshift('forget', [{}], {
				email: '',
				otherIdentifiers: { customerId: solo.customerId, deviceId: solo.deviceId },
			});

			expect(result.main[0].json).toMatchObject({
				status: 'accepted',
				httpStatus: 200,
				identifiers: [
					{ type: 'customer_id', value: '***' },
					{ type: 'device_id', value: 'de***-1' },
				],
			});
			expect(sim.listRequests({ endpoint: 'forget' }).map((entry) => entry.body)).toEqual([
				{ customer_id: solo.customerId, device_id: solo.deviceId },
			]);
			expect(profilesWith('solo@example.com')).toEqual([]);
		});

		it('keeps under the simulated 5 requests per second with its defaults: no 429, every item accepted', async () => {
			sim.configure({ rateLimits: { blueshift: 5 } });
			const items = Array.from({ length: 8 }, (_, index) => ({ email: `pace${index}@example.com` }));

			const result = await runBlueshift('forget', items);

			expect(result.main.map((item) => [item.json.status, item.json.attempts])).toEqual(Array(8).fill(['accepted', 1]));
			expect(sim.listRequests({ vendor: 'blueshift' }).map((entry) => entry.status)).toEqual(Array(8).fill(200));
		});
	});
});
