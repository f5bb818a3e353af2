import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode } from '../harness/engine';

describe('transport rules', () => {
	it.each([301, 302, 307, 308])(
		'does not follow a %i redirect, so credentials never reach another host',
		async (status) => {
			const vendor = nock('https://api.eu.customergauge.com')
				.post('/v4.1/anonymize.json')
				.reply(status, '', { Location: 'https://collector.example.net/steal' });
			const elsewhere = nock('https://collector.example.net').post('/steal').reply(200, { Data: {} });

			const result = await runNode({
				node: new CustomerGauge(),
				parameters: {
					resource: 'contact',
					authentication: 'apiKey',
					operation: 'anonymize',
					identifyBy: 'email',
					email: 'a@example.com',
					options: {},
				},
				credentials: { customerGaugeApi: { region: 'eu', customBaseUrl: '', apiKey: 'redirect-key-1' } },
				items: [{}],
				onError: 'continueRegularOutput',
			});

			expect(vendor.isDone()).toBe(true);
			expect(elsewhere.isDone()).toBe(false);
			expect(result.main[0].json).toMatchObject({
				status: 'failed',
				httpStatus: status,
				attempts: 1,
				message: `The vendor redirected the request (HTTP ${status}). Redirects are not followed, so credentials never go to another address: check the base URL.`,
				failure: { reason: 'unexpected_response' },
			});
		},
	);

	it.each([
		['http://api.exponea.com', false],
		['http://10.0.0.8:8080', false],
		['ftp://api.exponea.com', false],
		['not a url', false],
		['http://127.0.0.1:4010', true],
		['http://localhost:4010', true],
		['http://[::1]:4010', true],
		['https://api-eu1.exponea.com/', true],
	])('instance URL %s is %s', async (instanceUrl, allowed) => {
		const base = instanceUrl.replace(/\/$/, '');
		const scope = allowed
			? nock(base)
					.post('/data/v2/projects/p-token/customers/anonymize_bulk')
					.reply(200, { success: true, bulk_id: 'b' })
			: undefined;

		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				resource: 'customer',
				operation: 'anonymizeBulk',
				identifyBy: 'customerId',
				customerIdName: 'registered',
				customerIdValue: 'a@example.com',
				options: {},
			},
			credentials: {
				bloomreachEngagementApi: { instanceUrl, projectToken: 'p-token', apiKeyId: 'key-id', apiSecret: 'secret-x' },
			},
			items: [{}],
		});

		if (allowed) {
			expect(scope?.isDone()).toBe(true);
			expect(result.main[0].json.status).toBe('accepted');
		} else {
			expect(result.main).toEqual([]);
			expect(result.error?.message).toMatch(/^Credential: Instance URL /);
			expect(result.error?.description).toBe('Nothing was sent. Fix the credential and run the node again.');
		}
	});
});
