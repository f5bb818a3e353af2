import { fixtureIds } from '../../../simulator/index.mjs';
import { customerStep } from './blueshift';
import { contactStep } from './customerGauge';
import { laneWorkflow } from './laneWorkflow';

export const dryRunWorkflow = laneWorkflow('e2eDryRun', 'e2e: dry run of every node', [
	{
		people: [{ email: fixtureIds.bloomreach.ada.registered }, { email: fixtureIds.bloomreach.grace.registered }],
		step: {
			name: 'Bloomreach',
			type: 'bloomreachEngagement',
			parameters: { resource: 'customer', operation: 'anonymizeBulk', options: { dryRun: true } },
		},
	},
	{
		people: [{ email: fixtureIds.customerGauge.maria.email }],
		step: contactStep('CustomerGauge', 'anonymize', 'email', { dryRun: true }),
	},
	{
		people: [{ email: fixtureIds.blueshift.trio.email }],
		step: customerStep('Blueshift', 'delete', {
			deleteAllMatching: true,
			options: { dryRun: true, countMatchesFirst: true },
		}),
	},
]);
