/**
 * CustomerGauge with OAuth2 client credentials (API v6), through n8n-core's own OAuth2 handling:
 * the token is fetched, stored with the credential, reused, and renewed after a 401.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode } from '../harness/engine';
import { simulatorForTests } from '../harness/simulator';

const API = 'https://api.eu.customergauge.com';
const AUTH = 'https://auth.eu.customergauge.com';
const V6 = '/v6/system-admin/data-admin/contacts/anonymize';
const ACCEPTED =
	'CustomerGauge accepted the anonymization of every record of this contact ("Contact anonymized"). Custom fields, and segment fields not agreed with CustomerGauge, are not anonymized.';

const oAuth2Credentials = (extra: ICredentialDataDecryptedObject = {}) => ({
	customerGaugeOAuth2Api: { region: 'eu', clientId: 'cg-client-1', clientSecret: 'cg-client-secret-1', ...extra },
});

function run(
	operation: 'anonymize' | 'preview' | 'verify',
	items: Array<Record<string, unknown>>,
	credentials: Record<string, ICredentialDataDecryptedObject> = oAuth2Credentials(),
	{ options = {}, ...extra }: Record<string, unknown> = {},
) {
	return runNode({
		node: new CustomerGauge(),
		parameters: {
			resource: 'contact',
			operation,
			identifyBy: 'email',
			email: '={{ $json.email }}',
			telephone: '={{ $json.phone }}',
			...extra,
			options: { identifierInOutput: 'asGiven', maxRetryWait: 10, ...(options as object) },
		},
		credentials,
		items,
		onError: 'continueRegularOutput',
	});
}

/** The token endpoint, recording each form it receives. */
function tokenEndpoint(replies: Array<[number, unknown] | [number, unknown, Record<string, string>]>) {
	const forms: unknown[] = [];
	const scope = nock(AUTH);
	for (const [status, body, headers] of replies) {
		scope
			.post('/oauth2/token', (form) => {
				forms.push(form);
				return true;
			})
			.matchHeader('content-type', /application\/x-www-form-urlencoded/)
			.reply(status, body as nock.Body, headers);
	}
	return forms;
}

const SIGN_IN_PAGE = '<html><body>Sign in</body></html>';
const HTML = { 'content-type': 'text/html' };
const TOKEN_HINT =
	'Check the OAuth2 credential: the client ID and secret of the Connected App, and its region or token URL.';

const token = (accessToken: string) => ({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });

describe('CustomerGauge with OAuth2 (API v6)', () => {
	it('is the default for a new node (version 2); version 1 nodes keep the API key', () => {
		const { properties, version, defaultVersion } = new CustomerGauge().description;
		const authentication = properties.filter((property) => property.name === 'authentication');
		expect([version, defaultVersion]).toEqual([[1, 2], 2]);
		expect(authentication.map((property) => [property.default, property.displayOptions?.show?.['@version']])).toEqual([
			['oAuth2', [2]],
			['apiKey', [1]],
		]);
	});

	it.each(['eu', 'us', 'au'])(
		"in region %s, fetches the token from that region's auth host and sends to its API host",
		async (region) => {
			const tokens = nock(`https://auth.${region}.customergauge.com`)
				.post('/oauth2/token')
				.reply(200, token(`token-${region}`));
			const v6 = nock(`https://api.${region}.customergauge.com`)
				.matchHeader('authorization', `Bearer token-${region}`)
				.post(V6)
				.reply(200, { message: 'Contact anonymized' });

			const result = await run('anonymize', [{ email: `${region}@example.com` }], oAuth2Credentials({ region }));

			expect(tokens.isDone()).toBe(true);
			expect(v6.isDone()).toBe(true);
			expect(result.main.map((item) => [item.json.status, item.json.message])).toEqual([['accepted', ACCEPTED]]);
		},
	);

	it('fetches a token with the client ID and secret, then POSTs the email as JSON to v6 with the Bearer token', async () => {
		const forms = tokenEndpoint([[200, token('token-1')]]);
		const bodies: unknown[] = [];
		const v6 = nock(API)
			.matchHeader('authorization', 'Bearer token-1')
			.post(V6, (body) => {
				bodies.push(body);
				return true;
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, { message: 'Contact anonymized' });

		const result = await run('anonymize', [{ email: 'jane@example.com' }]);

		expect(forms).toEqual([
			{ grant_type: 'client_credentials', client_id: 'cg-client-1', client_secret: 'cg-client-secret-1', scope: '' },
		]);
		expect(v6.isDone()).toBe(true);
		expect(bodies).toEqual([{ email: 'jane@example.com' }]);
		expect(result.main[0].json).toMatchObject({
			status: 'accepted',
			message: ACCEPTED,
			httpStatus: 200,
			attempts: 1,
			identifiers: [{ type: 'email', value: 'jane@example.com' }],
		});
		expect(result.savedTokens.customerGaugeOAuth2Api).toEqual([token('token-1')]);
	});

	it('sends a telephone as "phone", the name v6 documents in its request body', async () => {
		tokenEndpoint([[200, token('token-1')]]);
		const bodies: unknown[] = [];
		nock(API)
			.post(V6, (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, {});

		const result = await run('anonymize', [{ phone: '+44 20 7946 0958' }], oAuth2Credentials(), {
			identifyBy: 'telephone',
		});

		expect(bodies).toEqual([{ phone: '+442079460958' }]);
		expect(result.main[0].json.status).toBe('accepted');
	});

	it('reuses the stored token on the next run, and fetches a new one when v6 answers 401 (expired)', async () => {
		const credentials = oAuth2Credentials();
		tokenEndpoint([
			[200, token('token-1')],
			[200, token('token-2')],
		]);
		const authorizations: string[] = [];
		const seen = function (this: nock.ReplyFnContext) {
			authorizations.push(String(this.req.headers.authorization));
		};
		nock(API)
			.post(V6)
			.reply(function () {
				seen.call(this);
				return [200, { message: 'Contact anonymized' }];
			})
			.post(V6)
			.reply(function () {
				seen.call(this);
				return [401, { Error: { Message: 'The access token has expired' } }];
			})
			.post(V6)
			.reply(function () {
				seen.call(this);
				return [200, { message: 'Contact anonymized' }];
			});

		const first = await run('anonymize', [{ email: 'a@example.com' }], credentials);
		const second = await run('anonymize', [{ email: 'b@example.com' }], credentials);

		expect(authorizations).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
		expect(first.savedTokens.customerGaugeOAuth2Api).toEqual([token('token-1')]);
		expect(second.savedTokens.customerGaugeOAuth2Api).toEqual([token('token-2')]);
		expect(second.main[0].json).toMatchObject({ status: 'accepted', httpStatus: 200, attempts: 1, message: ACCEPTED });
	});

	it('reports a refused client (invalid_client) as a credential problem, sends nothing to v6 and does not retry', async () => {
		const forms = tokenEndpoint([
			[401, { error: 'invalid_client', error_description: 'Client authentication failed' }],
		]);

		const result = await run('anonymize', [{ email: 'a@example.com' }]);

		expect(forms).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: null,
			attempts: 1,
			message:
				"CustomerGauge's API was never reached: n8n asked the OAuth2 token endpoint (auth.eu.customergauge.com) for a token, and it refused to issue a token: Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method). Nothing was sent to CustomerGauge's API.",
			failure: {
				reason: 'authentication',
				description:
					'Check the OAuth2 credential: the client ID and secret of the Connected App, and its region or token URL.',
			},
		});
	});

	it('retries a token endpoint that is down (503), like any vendor outage', async () => {
		tokenEndpoint([
			[503, 'maintenance'],
			[200, token('token-1')],
		]);
		nock(API).post(V6).reply(200, { message: 'Contact anonymized' });

		const result = await run('anonymize', [{ email: 'a@example.com' }]);

		expect(result.main[0].json).toMatchObject({ status: 'accepted', attempts: 2 });
	});

	it('never reports accepted when the token endpoint answers 200 with an HTML page: nothing reached v6, every item failed', async () => {
		const forms = tokenEndpoint([
			[200, SIGN_IN_PAGE, HTML],
			[200, SIGN_IN_PAGE, HTML],
		]);
		const v6 = nock(API).post(V6).reply(200, { message: 'Contact anonymized' });

		const result = await run(
			'anonymize',
			[{ email: 'a@example.com' }, { email: 'b@example.com' }],
			oAuth2Credentials(),
			{
				options: { maxConcurrentRequests: 1 },
			},
		);

		expect(v6.isDone()).toBe(false);
		expect(forms.length).toBeGreaterThanOrEqual(1);
		const neverReached =
			"CustomerGauge's API was never reached: n8n asked the OAuth2 token endpoint (auth.eu.customergauge.com) for a token, and it answered HTTP 200 without a token (Unsupported content type: text/html). Nothing was sent to CustomerGauge's API.";
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: null,
			attempts: 1,
			message: neverReached,
			failure: { reason: 'authentication', description: TOKEN_HINT },
		});
		expect(result.main.map((item) => item.json.status)).toEqual(['failed', 'failed']);
	});

	it('never reports accepted when a renewed token comes back as an HTML page after a 401', async () => {
		tokenEndpoint([
			[200, token('token-1')],
			[200, SIGN_IN_PAGE, HTML],
		]);
		const v6 = nock(API)
			.post(V6)
			.reply(401, { Error: { Message: 'Token expired' } });

		const result = await run('anonymize', [{ email: 'a@example.com' }]);

		expect(v6.isDone()).toBe(true);
		expect(result.main[0].json).toMatchObject({
			status: 'failed',
			httpStatus: 401,
			attempts: 1,
			message:
				"CustomerGauge's API refused the token (HTTP 401), and when n8n asked the OAuth2 token endpoint (auth.eu.customergauge.com) for a new one, it answered HTTP 200 without a token (Unsupported content type: text/html). The request was not sent again; a 401 changes nothing.",
			failure: { reason: 'authentication', description: TOKEN_HINT },
		});
	});

	const NEVER_REACHED = (what: string) =>
		`CustomerGauge's API was never reached: n8n asked the OAuth2 token endpoint (auth.eu.customergauge.com) for a token, and it ${what}. Nothing was sent to CustomerGauge's API.`;

	it.each([
		['a 500 (retried, like any outage)', [500, 'maintenance'], 'answered HTTP 500', 'vendor_unavailable', 2],
		['a 429 (retried)', [429, { message: 'slow down' }], 'answered HTTP 429', 'rate_limited', 2],
		['a 400 without an OAuth error', [400, { problem: 'bad form' }], 'answered HTTP 400', 'authentication', 1],
		[
			'a redirect',
			[302, '', { location: '' }],
			'answered with a redirect (HTTP 302), which is not a token',
			'authentication',
			1,
		],
		[
			'plain text',
			[200, 'ok', { 'content-type': 'text/plain' }],
			'answered HTTP 200 without a token (Unsupported content type: text/plain)',
			'authentication',
			1,
		],
		[
			'JSON without an access token',
			[200, { token_type: 'Bearer' }],
			'gave no token (Unable to sign without access token)',
			'authentication',
			1,
		],
		[
			'an OAuth error body',
			[400, { error: 'invalid_request', error_description: 'grant_type missing' }],
			'refused to issue a token: The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed',
			'authentication',
			1,
		],
	] as const)(
		'names the token endpoint, not the API, when it answers %s',
		async (_case, reply, what, reason, attempts) => {
			const replies = Array.from(
				{ length: attempts },
				() => reply as unknown as [number, unknown, Record<string, string>],
			);
			const forms = tokenEndpoint(replies);
			const v6 = nock(API).post(V6).reply(200, { message: 'Contact anonymized' });

			const result = await run('anonymize', [{ email: 'a@example.com' }], oAuth2Credentials(), {
				options: { maxAttempts: 2 },
			});

			expect(v6.isDone()).toBe(false);
			expect(forms).toHaveLength(attempts);
			expect(result.main[0].json).toMatchObject({
				status: 'failed',
				httpStatus: null,
				attempts,
				message: NEVER_REACHED(what) + (attempts > 1 ? ' Gave up after 2 attempts.' : ''),
				failure: { reason },
			});
			expect(String(result.main[0].json.message)).not.toContain('refused the request');
		},
	);

	it('reports a 401 that outlasts a fresh token with the OAuth2 hint, and a v6 refusal with its reason', async () => {
		tokenEndpoint([
			[200, token('token-1')],
			[200, token('token-2')],
		]);
		const v6 = nock(API)
			.post(V6, { email: 'a@example.com' })
			.times(3)
			.reply(401, { Error: { Message: 'Not allowed' } })
			.post(V6, { email: 'b@example.com' })
			.reply(400, { Error: { Message: 'Email is not valid' } });

		// Two runs: after a refused credential a run sends nothing more (see the next test).
		const credentials = oAuth2Credentials();
		const refused = await run('anonymize', [{ email: 'a@example.com' }], credentials);
		const invalid = await run('anonymize', [{ email: 'b@example.com' }], credentials);
		const result = { main: [...refused.main, ...invalid.main] };

		// n8n renews the token after the first 401 and sends again; after a second 401 it sends once more.
		expect(v6.isDone()).toBe(true);
		expect(
			result.main.map((item) => [item.json.status, item.json.httpStatus, item.json.attempts, item.json.message]),
		).toEqual([
			['failed', 401, 1, 'CustomerGauge refused the request (HTTP 401): Not allowed.'],
			['failed', 400, 1, 'CustomerGauge refused the request (HTTP 400): Email is not valid.'],
		]);
		expect(result.main[0].json.failure).toEqual({
			reason: 'authentication',
			vendorCode: undefined,
			description:
				'Check the CustomerGauge OAuth2 credential: the client ID and secret of its Connected App, and that its region is the one your account lives in.',
		});
	});

	it('once the API refuses a fresh token (401), fails the rest of the run with that reason without sending (On Error: Continue)', async () => {
		let tokens = 0;
		nock(AUTH)
			.post('/oauth2/token')
			.times(10)
			.reply(() => [200, token(`token-${++tokens}`)]);
		let v6Requests = 0;
		nock(API)
			.post(V6)
			.times(20)
			.reply(() => {
				v6Requests++;
				return [401, { Error: { Message: 'Not allowed' } }];
			});
		const people = Array.from({ length: 5 }, (_, index) => ({ email: `p${index + 1}@example.com` }));

		const result = await run('anonymize', people, oAuth2Credentials(), { options: { maxConcurrentRequests: 1 } });

		// The first person: n8n fetches a token, renews it after the 401 and sends again; nobody else is sent.
		expect([tokens, v6Requests]).toEqual([2, 3]);
		const refusal = 'CustomerGauge refused the request (HTTP 401): Not allowed.';
		expect(result.main[0].json).toMatchObject({ status: 'failed', httpStatus: 401, attempts: 1, message: refusal });
		for (const item of result.main.slice(1)) {
			expect(item.json).toMatchObject({
				status: 'failed',
				httpStatus: null,
				attempts: 0,
				requestedAt: null,
				message: `Not sent: CustomerGauge refused the credential earlier in this run, so this request would be refused too. The refusal: ${refusal}`,
				failure: {
					reason: 'authentication',
					description:
						'Check the CustomerGauge OAuth2 credential: the client ID and secret of its Connected App, and that its region is the one your account lives in.',
				},
			});
		}
	});

	it('once the token endpoint refuses the client, sends no further token request in the run', async () => {
		const forms = tokenEndpoint([[401, { error: 'invalid_client' }]]);
		const v6 = nock(API).post(V6).reply(200, { message: 'Contact anonymized' });

		const result = await run(
			'anonymize',
			[{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }],
			oAuth2Credentials(),
			{
				options: { maxConcurrentRequests: 1 },
			},
		);

		expect(forms).toHaveLength(1);
		expect(v6.isDone()).toBe(false);
		expect(
			result.main.map((item) => [
				item.json.status,
				item.json.attempts,
				String(item.json.message).startsWith('Not sent: CustomerGauge refused the credential earlier in this run'),
			]),
		).toEqual([
			['failed', 1, false],
			['failed', 0, true],
			['failed', 0, true],
		]);
	});

	it('as a dry run, fetches no token, sends nothing and shows the v6 request', async () => {
		// nock refuses every connection here: a token request would fail the run.
		const result = await run('anonymize', [{ email: 'jane@example.com' }], oAuth2Credentials(), {
			options: { dryRun: true },
		});

		expect(result.savedTokens).toEqual({});
		expect(result.main[0].json).toMatchObject({
			status: 'dry_run',
			attempts: 0,
			request: { number: 1, method: 'POST', url: `${API}${V6}`, body: { email: 'jane@example.com' }, people: 1 },
		});
	});

	it('previews and verifies through the v4.1 read-only endpoint with the same Bearer token', async () => {
		tokenEndpoint([[200, token('token-1')]]);
		nock(API)
			.matchHeader('authorization', 'Bearer token-1')
			.get('/v4.1/anonymize.json')
			.query({ email: 'jane@example.com' })
			.twice()
			.reply(200, { Data: [] });
		const credentials = oAuth2Credentials();

		const preview = await run('preview', [{ email: 'jane@example.com' }], credentials);
		const verify = await run('verify', [{ email: 'jane@example.com' }], credentials);

		expect(preview.main[0].json).toMatchObject({ status: 'not_found', recordCount: 0 });
		expect(verify.main[0].json).toMatchObject({ status: 'completed', recordCount: 0 });
	});

	it('uses a custom token URL and base URL, and refuses a token URL in plain http on a public host before sending anything', async () => {
		nock('https://cg-proxy.example.com').post('/token').reply(200, token('token-1'));
		nock('https://cg-proxy.example.com').post(V6).reply(200, { message: 'Contact anonymized' });
		const custom = (customTokenUrl: string) =>
			oAuth2Credentials({ region: 'custom', customBaseUrl: 'https://cg-proxy.example.com', customTokenUrl });

		const proxied = await run('anonymize', [{ email: 'a@example.com' }], custom('https://cg-proxy.example.com/token'));
		const plain = await run('anonymize', [{ email: 'a@example.com' }], custom('http://cg-proxy.example.com/token'));

		expect(proxied.main[0].json.status).toBe('accepted');
		expect(plain.main[0].json).toMatchObject({
			status: 'failed',
			attempts: 0,
			message:
				'Not sent: Token URL "http://cg-proxy.example.com/token" must start with https:// (plain http is accepted only for localhost).',
		});
	});

	it.each(['continueRegularOutput', 'stopWorkflow'] as const)(
		'never shows a token n8n held earlier in the run (renewed after a 401) in receipts, the stop error or logs (%s)',
		async (onError) => {
			tokenEndpoint([
				[200, token('tok-FIRST-7c1')],
				[200, token('tok-RENEWED-9d2')],
			]);
			nock(API)
				.post(V6, { email: 'a@example.com' })
				.reply(401, { Error: { Message: 'Token expired' } })
				.post(V6, { email: 'a@example.com' })
				.reply(200, { message: 'Contact anonymized' })
				.post(V6, { email: 'b@example.com' })
				.reply(400, { Error: { Message: 'Rejected: tok-FIRST-7c1 was revoked, tok-RENEWED-9d2 lacks the scope' } });

			const result = await runNode({
				node: new CustomerGauge(),
				parameters: {
					resource: 'contact',
					operation: 'anonymize',
					identifyBy: 'email',
					email: '={{ $json.email }}',
					options: { maxConcurrentRequests: 1, maxAttempts: 1 },
				},
				credentials: oAuth2Credentials(),
				items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
				onError,
			});

			const everything = JSON.stringify([result.main, result.errorOutput, result.error, result.logs]);
			expect(everything).not.toContain('tok-FIRST-7c1');
			expect(everything).not.toContain('tok-RENEWED-9d2');
			const refusal =
				'CustomerGauge refused the request (HTTP 400): Rejected: [redacted] was revoked, [redacted] lacks the scope.';
			if (onError === 'stopWorkflow') {
				expect(result.error?.message).toBe(`CustomerGauge did not accept request 2 after 1 attempt(s): ${refusal}`);
			} else {
				expect(result.main.map((item) => [item.json.status, item.json.message])).toEqual([
					['accepted', ACCEPTED],
					['failed', refusal],
				]);
			}
		},
	);

	it('never shows the client secret or the token in receipts, errors or logs', async () => {
		tokenEndpoint([[200, token('tok-SECRET-42')]]);
		nock(API)
			.post(V6)
			.reply(400, { Error: { Message: 'Rejected tok-SECRET-42 for cg-client-secret-1' } });

		const result = await run('anonymize', [{ email: 'a@example.com' }]);

		const everything = JSON.stringify([result.main, result.errorOutput, result.error, result.logs]);
		expect(everything).not.toContain('cg-client-secret-1');
		expect(everything).not.toContain('tok-SECRET-42');
		expect(result.main[0].json.status).toBe('failed');
	});
});

describe('CustomerGauge OAuth2 against the simulator', () => {
	const simulator = simulatorForTests({ rateLimits: false, customerGauge: { tokenLifetimeMs: 300 } });

	it('anonymizes via v6, and recovers from an expired token through n8n renewing it', async () => {
		const { clientId, clientSecret } = simulator().credentials.customerGauge;
		const credentials = {
			customerGaugeOAuth2Api: {
				region: 'custom',
				customBaseUrl: simulator().url,
				customTokenUrl: `${simulator().url}/oauth2/token`,
				clientId,
				clientSecret,
			},
		};

		const first = await run('anonymize', [{ email: 'maria@example.com' }], credentials);
		await new Promise((resolve) => setTimeout(resolve, 400));
		const second = await run('anonymize', [{ email: 'nina@example.com' }], credentials);

		expect([first.main[0].json.status, second.main[0].json.status]).toEqual(['accepted', 'accepted']);
		expect(
			simulator()
				.listRequests({ vendor: 'customerGauge' })
				.map((entry) => [entry.endpoint, entry.status]),
		).toEqual([
			['token', 200],
			['anonymize_v6', 200],
			['anonymize_v6', 401],
			['token', 200],
			['anonymize_v6', 200],
		]);
		expect(simulator().state.customerGauge.anonymizations.map(({ value, api }) => [value, api])).toEqual([
			['maria@example.com', 'v6'],
			['nina@example.com', 'v6'],
		]);
	});
});
