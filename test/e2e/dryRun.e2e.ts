import { beforeEach, describe, expect, it } from 'vitest';

import { fixtures } from '../../simulator/index.mjs';
import { e2eContext } from './context';
import { executeWorkflow, outputOf } from './support/execute';
import { simulator } from './support/simulator';
import { dryRunWorkflow } from './workflows/dryRun';

describe('Dry Run in a real n8n (n8n execute)', () => {
	beforeEach(() => simulator.reset());

	it('sends nothing to any vendor and shows the exact requests that would be sent', async () => {
		const execution = await executeWorkflow(dryRunWorkflow.id);

		expect(await simulator.requests()).toEqual([]);
		const state = await simulator.state();
		expect(state.bloomreach.anonymizations).toEqual([]);
		expect(state.customerGauge).toEqual({ records: fixtures.customerGauge.records, anonymizations: [], tokens: [] });
		expect(state.blueshift).toEqual({ profiles: fixtures.blueshift.profiles, jobs: [] });

		const { simulatorUrl } = e2eContext();
		const notSent = { status: 'dry_run', vendorReference: null, httpStatus: null, attempts: 0, requestedAt: null };
		expect(outputOf(execution, 'Bloomreach')).toEqual([
			expect.objectContaining({
				...notSent,
				identifiers: [{ type: 'registered', value: 'a***@example.com' }],
				request: {
					number: 1,
					method: 'POST',
					url: `${simulatorUrl}/data/v2/projects/[redacted]/customers/anonymize_bulk`,
					body: {
						customers: [
							{ customer_ids: { registered: 'a***@example.com' } },
							{ customer_ids: { registered: 'g***@example.com' } },
						],
					},
					people: 2,
				},
			}),
			expect.objectContaining({ ...notSent, identifiers: [{ type: 'registered', value: 'g***@example.com' }] }),
		]);
		expect(outputOf(execution, 'CustomerGauge')).toEqual([
			expect.objectContaining({
				...notSent,
				identifiers: [{ type: 'email', value: 'm***@example.com' }],
				request: expect.objectContaining({
					method: 'POST',
					url: `${simulatorUrl}/v4.1/anonymize.json`,
					body: { email: 'm***@example.com' },
				}),
			}),
		]);
		expect(outputOf(execution, 'Blueshift')).toEqual([
			expect.objectContaining({
				...notSent,
				identifiers: [{ type: 'email', value: 't***@example.com' }],
				request: expect.objectContaining({
					method: 'POST',
					url: `${simulatorUrl}/api/v1/customers/delete`,
					body: { email: 't***@example.com', delete_all_matching_customers: true },
				}),
			}),
		]);
	});
});
