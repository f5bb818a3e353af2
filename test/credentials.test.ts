import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { runCredentialTest } from './harness/engine';

const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

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

		const answer = await runCredentialTest('bloomreachEngagementApi', data);

		expect(scope.isDone()).toBe(true);
		expect(answer).toEqual({ statusCode: 200, body: { success: true, results: [] } });
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

		const answer = await runCredentialTest('customerGaugeApi', {
			region,
			customBaseUrl: 'http://127.0.0.1:4010/',
			apiKey: 'cg-key-1',
		});

		expect(scope.isDone()).toBe(true);
		expect(answer.statusCode).toBe(200);
	});
});

describe('Blueshift credential', () => {
	const regions = [
		['us', 'https://api.getblueshift.com'],
		['eu', 'https://api.eu.getblueshift.com'],
		['custom', 'http://127.0.0.1:4010'],
	] as const;

	it.each(regions)('region %s: GETs the customer search on %s with HTTP Basic key + empty password', async (region, host) => {
		const scope = nock(host)
			.get('/api/v1/customers')
			.query({ email: 'n8n-credential-test@example.invalid' })
			.matchHeader('authorization', basic('user-api-key-1', ''))
			.reply(404, { errors: { email: ['not found'] } });

		const answer = await runCredentialTest('blueshiftApi', {
			region,
			customBaseUrl: 'http://127.0.0.1:4010',
			userApiKey: 'user-api-key-1',
		});

		expect(scope.isDone()).toBe(true);
		expect(answer.statusCode).toBe(404);
	});
});
