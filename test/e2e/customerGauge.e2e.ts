import { beforeEach, describe, expect, it } from 'vitest';

import { type CustomerGaugeRecord, fixtureIds, fixtures } from '../../simulator/index.mjs';
import { e2eContext } from './context';
import { executeWorkflow, outputOf } from './support/execute';
import { requestLines, simulator } from './support/simulator';
import { customerGaugeWorkflows } from './workflows/customerGauge';

const { maria, tom, nina } = fixtureIds.customerGauge;
const { anonymisedComment } = fixtures.customerGauge;

const seeded = (recordId: number) => fixtures.customerGauge.records.find((record) => record.record_id === recordId)!;

/** CustomerGauge's anonymization: stars, a random email, fixed comments; segment and custom fields stay. */
const anonymized = (recordId: number): CustomerGaugeRecord => ({
	...seeded(recordId),
	email: expect.stringMatching(/^anonymised-[0-9a-f]{16}@customergauge\.invalid$/),
	first_name: '***',
	last_name: '***',
	sms_telephone: '***',
	customer_number: '***',
	follow_up_details: '***',
	job_level: '*',
	job_position: '--',
	nps_comment: anonymisedComment,
	comment_translation: anonymisedComment,
	workflow_comment: anonymisedComment,
	additional_comment: anonymisedComment,
});

describe('CustomerGauge in a real n8n (n8n execute)', () => {
	beforeEach(() => simulator.reset());

	it('previews the records Anonymize would change, and changes nothing', async () => {
		const execution = await executeWorkflow(customerGaugeWorkflows.preview.id);

		expect(requestLines(await simulator.requests())).toEqual([
			'GET customerGauge preview 200',
			'GET customerGauge preview 200',
		]);
		expect((await simulator.state()).customerGauge).toEqual({
			records: fixtures.customerGauge.records,
			anonymizations: [],
			tokens: [],
		});

		const [found, nobody] = outputOf(execution, 'Preview');
		expect(found).toMatchObject({
			vendor: 'CustomerGauge',
			operation: 'preview',
			status: 'found',
			identifiers: [{ type: 'email', value: 'm***@example.com' }],
			httpStatus: 200,
			recordCount: 3,
			message:
				'CustomerGauge holds 3 records for this contact, which Anonymize would change. This preview changed nothing.',
		});
		// Include Found Records is on: every value of the records is masked, none kept in clear text.
		const records = found.records as CustomerGaugeRecord[];
		expect(records.map((record) => record.email)).toEqual(['m***@example.com', 'm***@example.com', 'M***@Example.com']);
		for (const id of [1001, 1002, 1003]) {
			const seededRecord = seeded(id) as unknown as Record<string, unknown>;
			for (const value of Object.values(seededRecord)) {
				if (typeof value === 'string' && value.length > 6) expect(JSON.stringify(found)).not.toContain(value);
			}
		}
		expect(nobody).toMatchObject({ status: 'not_found', recordCount: 0, records: [] });
	});

	it('anonymizes every record of a contact by email, and by a telephone typed with spaces', async () => {
		const execution = await executeWorkflow(customerGaugeWorkflows.anonymize.id);

		// Two requests at a time: maria and nina may arrive in either order.
		const requests = await simulator.requests();
		const sent = requests.map(({ method, endpoint, body }) => [method, endpoint, body]);
		expect(sent).toHaveLength(3);
		expect(sent).toEqual(
			expect.arrayContaining([
				['POST', 'anonymize', { email: maria.email }],
				['POST', 'anonymize', { email: nina.email }],
				['POST', 'anonymize', { telephone: tom.telephone }],
			]),
		);
		expect(requests.map((request) => request.headers['content-type'])).toEqual(
			Array(3).fill('application/x-www-form-urlencoded'),
		);

		const { customerGauge } = await simulator.state();
		expect(customerGauge.anonymizations).toHaveLength(3);
		expect(customerGauge.anonymizations.map(({ by, value, recordIds }) => ({ by, value, recordIds }))).toEqual(
			expect.arrayContaining([
				{ by: 'email', value: maria.email, recordIds: maria.recordIds },
				{ by: 'email', value: nina.email, recordIds: nina.recordIds },
				{ by: 'telephone', value: tom.telephone, recordIds: tom.recordIds },
			]),
		);
		expect(customerGauge.records).toEqual(fixtures.customerGauge.records.map((record) => anonymized(record.record_id)));

		const accepted = {
			vendor: 'CustomerGauge',
			operation: 'anonymize',
			status: 'accepted',
			httpStatus: 200,
			attempts: 1,
			message: expect.stringContaining('("Record updated successfully")'),
		};
		expect(outputOf(execution, 'By email')).toEqual([
			expect.objectContaining({ ...accepted, identifiers: [{ type: 'email', value: 'm***@example.com' }] }),
			expect.objectContaining({ ...accepted, identifiers: [{ type: 'email', value: 'n***@example.com' }] }),
		]);
		expect(outputOf(execution, 'By telephone')).toEqual([
			expect.objectContaining({
				...accepted,
				identifiers: [{ type: 'telephone', value: expect.stringMatching(/^\+4\*+23$/) }],
			}),
		]);
	});

	it('with the OAuth2 credential: n8n fetches a token, the node anonymizes via v6, and a verification then finds nothing left', async () => {
		const execution = await executeWorkflow(customerGaugeWorkflows.oAuth2.id);

		// A token stored by an earlier test is unknown to the reset simulator: n8n then renews it first.
		const all = await simulator.requests();
		const renewed = all[0]?.status === 401;
		const requests = renewed ? all.slice(1) : all;
		expect(requests.map(({ method, endpoint, status }) => `${method} ${endpoint} ${status}`)).toEqual([
			'POST token 200',
			'POST anonymize_v6 200',
			'GET preview 200',
		]);
		const [token, anonymize, verify] = requests;
		// n8n 2.8 also sends an empty scope; later versions leave it out.
		expect(token.body).toEqual(
			expect.objectContaining({
				grant_type: 'client_credentials',
				client_id: e2eContext().simulatorSecrets.customerGauge.clientId,
				client_secret: '[redacted]',
			}),
		);
		expect(anonymize.body).toEqual({ email: maria.email });
		expect(anonymize.headers['content-type']).toMatch(/^application\/json/);
		for (const request of [anonymize, verify]) expect(request.headers.authorization).toBe('Bearer [REDACTED]');

		const { customerGauge } = await simulator.state();
		expect(customerGauge.tokens).toHaveLength(1);
		expect(renewed ? [all[0].endpoint] : []).toEqual(renewed ? ['anonymize_v6'] : []);
		expect(customerGauge.anonymizations).toEqual([
			expect.objectContaining({ by: 'email', value: maria.email, recordIds: maria.recordIds, api: 'v6' }),
		]);
		expect(outputOf(execution, 'Anonymize via v6')).toEqual([
			expect.objectContaining({
				status: 'accepted',
				httpStatus: 200,
				attempts: 1,
				dueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			}),
		]);
		expect(outputOf(execution, 'Verify')).toEqual([
			expect.objectContaining({ status: 'completed', recordCount: 0, overdue: false, checkedAt: expect.any(String) }),
		]);
	});
});
