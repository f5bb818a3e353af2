/**
 * The credential Test button, run as n8n's credentials tester runs it (the node's `testedBy`
 * function on n8n-core's CredentialTestContext): the request it sends, and the promises the nodes
 * keep — no redirect followed, no plain HTTP beyond loopback, no query or user info in a base URL,
 * no credential in the result.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { runCredentialTest } from '../harness/engine';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const OK = { status: 'OK', message: 'Connection successful!' };

describe('Bloomreach Engagement credential', () => {
	const data = {
		instanceUrl: 'https://api.eu1.exponea.com/',
		projectToken: 'project-token-1',
		apiKeyId: 'key-id-1',
		apiSecret: 'secret-1',
	};

	it('tests with a read-only GET of the consent categories, with HTTP Basic key ID:secret', async () => {
		const scope = nock('https://api.eu1.exponea.com')
			.get('/data/v2/projects/project-token-1/consent/categories')
			.matchHeader('authorization', basic('key-id-1', 'secret-1'))
			.reply(200, { success: true, results: [] });

		expect(await runCredentialTest('bloomreachEngagementApi', data)).toEqual(OK);
		expect(scope.isDone()).toBe(true);
	});

	it('reports a refused key (success: false in a 200) without repeating the credentials', async () => {
		nock('https://api.eu1.exponea.com')
			.get('/data/v2/projects/project-token-1/consent/categories')
			.reply(200, { success: false, errors: [`access key secret-1 for ${basic('key-id-1', 'secret-1')} not valid`] });

		const result = await runCredentialTest('bloomreachEngagementApi', data);

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Bloomreach refused the key: access key \[redacted\] for Basic \[redacted\] not valid\./,
		);
	});

	it('says Forbidden for a 403', async () => {
		nock('https://api.eu1.exponea.com')
			.get('/data/v2/projects/project-token-1/consent/categories')
			.reply(403, { errors: 'no' });

		expect(await runCredentialTest('bloomreachEngagementApi', data)).toEqual({
			status: 'Error',
			message:
				'Forbidden (HTTP 403): Bloomreach refused the credentials. Check the API key ID, secret and project token, and the Instance URL.',
		});
	});

	it('says what to check for a 401, naming only fields the credential has (an instance URL, no region)', async () => {
		nock('https://api.eu1.exponea.com')
			.get('/data/v2/projects/project-token-1/consent/categories')
			.reply(401, { errors: 'no' });

		const result = await runCredentialTest('bloomreachEngagementApi', data);

		expect(result).toEqual({
			status: 'Error',
			message:
				'Unauthorized (HTTP 401): Bloomreach refused the credentials. Check the API key ID, secret and project token, and the Instance URL.',
		});
		expect(result.message).not.toMatch(/region/i);
	});

	it('never follows a redirect: the credentials do not reach the other host', async () => {
		nock('https://api.eu1.exponea.com')
			.get('/data/v2/projects/project-token-1/consent/categories')
			.reply(302, '', { location: 'https://collector.example.net/steal' });
		const elsewhere = nock('https://collector.example.net').get('/steal').reply(200, { success: true });

		const result = await runCredentialTest('bloomreachEngagementApi', data);

		expect(elsewhere.isDone()).toBe(false);
		expect(result).toEqual({
			status: 'Error',
			message:
				'Bloomreach answered with a redirect (HTTP 302). Redirects are not followed, so the credentials were not sent on: check the URL.',
		});
		nock.cleanAll();
	});

	it.each([
		[
			'plain http to a host that is not loopback',
			'http://api.exponea.com',
			'Instance URL "http://api.exponea.com" must start with https://',
		],
		['a query', 'https://api.exponea.com?x=1', 'Instance URL must not contain a query (?) or fragment (#)'],
		[
			'user info',
			'https://someone:pw@api.exponea.com',
			'Instance URL "api.exponea.com" must not contain a user name or password',
		],
	])('sends nothing for an instance URL with %s', async (_label, instanceUrl, message) => {
		const result = await runCredentialTest('bloomreachEngagementApi', { ...data, instanceUrl });

		expect(result.status).toBe('Error');
		expect(result.message).toContain(message);
		expect(result.message).not.toContain('pw@');
	});
});

describe('CustomerGauge credential', () => {
	const regions = [
		['eu', 'https://api.eu.customergauge.com'],
		['us', 'https://api.us.customergauge.com'],
		['au', 'https://api.au.customergauge.com'],
		['custom', 'http://127.0.0.1:4010'],
	] as const;

	it.each(regions)('region %s: GETs the anonymize preview on %s with the api_key header', async (region, host) => {
		const scope = nock(host)
			.get('/v4.1/anonymize.json')
			.query({ email: 'n8n-credential-test@example.invalid' })
			.matchHeader('authorization', 'api_key cg-key-1')
			.reply(200, { Data: { recordCount: 0, records: [] } });

		const result = await runCredentialTest('customerGaugeApi', {
			region,
			customBaseUrl: 'http://127.0.0.1:4010/',
			apiKey: 'cg-key-1',
		});

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual(OK);
	});

	it('says Unauthorized for a 401, sent once', async () => {
		const scope = nock('https://api.eu.customergauge.com')
			.get('/v4.1/anonymize.json')
			.query(true)
			.once()
			.reply(401, { Error: 'Invalid API key' });

		const result = await runCredentialTest('customerGaugeApi', { region: 'eu', customBaseUrl: '', apiKey: 'cg-key-1' });

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({
			status: 'Error',
			message: 'Unauthorized (HTTP 401): CustomerGauge refused the credentials. Check the key and the region or URL.',
		});
	});
});

describe('Blueshift credential', () => {
	const regions = [
		['us', 'https://api.getblueshift.com'],
		['eu', 'https://api.eu.getblueshift.com'],
		['custom', 'http://127.0.0.1:4010'],
	] as const;

	it.each(regions)(
		'region %s: GETs the customer search on %s with HTTP Basic key + empty password',
		async (region, host) => {
			const scope = nock(host)
				.get('/api/v1/customers')
				.query({ email: 'n8n-credential-test@example.invalid' })
				.matchHeader('authorization', basic('user-api-key-1', ''))
				.reply(200, { users: [] });

			const result = await runCredentialTest('blueshiftApi', {
				region,
				customBaseUrl: 'http://127.0.0.1:4010',
				userApiKey: 'user-api-key-1',
			});

			expect(scope.isDone()).toBe(true);
			expect(result).toEqual(OK);
		},
	);

	it("takes Blueshift's own not-found answer as proof of the key, and a gateway's 404 as a failure", async () => {
		nock('https://api.getblueshift.com')
			.get('/api/v1/customers')
			.query(true)
			.reply(404, { message: 'Customer not found' });
		expect(
			await runCredentialTest('blueshiftApi', { region: 'us', customBaseUrl: '', userApiKey: 'user-api-key-1' }),
		).toEqual(OK);

		nock('https://api.getblueshift.com').get('/api/v1/customers').query(true).reply(404, '<html>Not Found</html>');
		expect(
			await runCredentialTest('blueshiftApi', { region: 'us', customBaseUrl: '', userApiKey: 'user-api-key-1' }),
		).toEqual({
			status: 'Error',
			message: 'Blueshift answered HTTP 404: the credentials could not be confirmed.',
		});
	});

	it.each([401, 403])(
		'names the key it needs when Blueshift refuses one (HTTP %i), as it refuses an Event API key',
		async (status) => {
			const scope = nock('https://api.getblueshift.com')
				.get('/api/v1/customers')
				.query(true)
				.once()
				.reply(status, { message: 'Not authorized' });

			const result = await runCredentialTest('blueshiftApi', {
				region: 'us',
				customBaseUrl: '',
				userApiKey: 'event-api-key-1',
			});

			expect(scope.isDone()).toBe(true);
			expect(result).toEqual({
				status: 'Error',
				message: `${status === 401 ? 'Unauthorized' : 'Forbidden'} (HTTP ${status}): Blueshift refused the credentials. Use the User API key (Account Settings > API Keys > User API key), not the Event API key, and check the region or base URL.`,
			});
		},
	);

	it('sends nothing over plain http to a custom base URL that is not loopback', async () => {
		const result = await runCredentialTest('blueshiftApi', {
			region: 'custom',
			customBaseUrl: 'http://blueshift-proxy.example.net',
			userApiKey: 'user-api-key-1',
		});

		expect(result.status).toBe('Error');
		expect(result.message).toContain('Base URL "http://blueshift-proxy.example.net" must start with https://');
	});
});
