import { createHash } from 'node:crypto';

import { beforeEach, describe, expect, it } from 'vitest';

import { fixtureIds } from '../../simulator/index.mjs';
import { executeWorkflow, outputOf } from './support/execute';
import { simulator } from './support/simulator';
import { scheduleExampleDryRunWorkflow, scheduleExampleWorkflow } from './workflows/scheduleExample';

const { ada, grace, linus } = fixtureIds.bloomreach;
const sha256 = (value: string) => `sha256:${createHash('sha256').update(value).digest('hex')}`;

describe('"Nightly bulk erasure (schedule)", run by hand (n8n execute)', () => {
	beforeEach(() => simulator.reset());

	it('sends the queue in one bulk request and puts every receipt, hashed, on the accepted output', async () => {
		const execution = await executeWorkflow(scheduleExampleWorkflow.id);

		const { anonymizations } = (await simulator.state()).bloomreach;
		expect(anonymizations).toEqual([
			expect.objectContaining({
				endpoint: 'anonymize_bulk',
				requested: 3,
				anonymized: [ada.internalId, grace.internalId, linus.internalId],
				notFound: [],
			}),
		]);
		const accepted = outputOf(execution, 'Accepted: record the receipts');
		expect(accepted.map(({ status }) => status)).toEqual(Array(4).fill('accepted'));
		expect(accepted.map(({ vendorReference }) => vendorReference)).toEqual(Array(4).fill(anonymizations[0].bulk_id));
		expect(accepted.map(({ identifiers, duplicateOfItemIndex }) => [identifiers, duplicateOfItemIndex])).toEqual([
			[[{ type: 'registered', value: sha256(ada.registered) }], undefined],
			[[{ type: 'registered', value: sha256(grace.registered) }], undefined],
			[[{ type: 'registered', value: sha256(linus.registered) }], undefined],
			[[{ type: 'registered', value: sha256(ada.registered) }], 0],
		]);
		expect(execution.run!.data.resultData.runData['Failed: keep in the queue']).toBeUndefined();
		expect(execution.run!.data.resultData.runData['Dry run: nothing was sent']).toBeUndefined();
	});

	it('as a dry run, sends nothing and routes every receipt to the dry-run branch, none to Accepted', async () => {
		const execution = await executeWorkflow(scheduleExampleDryRunWorkflow.id);

		expect(await simulator.requests()).toEqual([]);
		const dryRun = outputOf(execution, 'Dry run: nothing was sent');
		expect(dryRun.map(({ status }) => status)).toEqual(Array(4).fill('dry_run'));
		expect(execution.run!.data.resultData.runData['Accepted: record the receipts']).toBeUndefined();
	});
});
