import { fixtureIds } from '../../../simulator/index.mjs';
import { type ErasureStep, laneWorkflow } from './laneWorkflow';

const { maria, nina } = fixtureIds.customerGauge;

export const contactStep = (
	name: string,
	operation: 'anonymize' | 'preview',
	identifyBy: 'email' | 'telephone',
	options = {},
): ErasureStep => ({
	name,
	type: 'customerGauge',
	parameters: { resource: 'contact', operation, identifyBy, options },
});

export const customerGaugeWorkflows = {
	preview: laneWorkflow('e2eCustomerGaugePreview', 'e2e: CustomerGauge preview', [
		{
			people: [{ email: maria.email }, { email: 'nobody@example.com' }],
			step: contactStep('Preview', 'preview', 'email', { includeRecords: true }),
		},
	]),
	anonymize: laneWorkflow('e2eCustomerGaugeAnonymize', 'e2e: CustomerGauge anonymize', [
		{ people: [{ email: maria.email }, { email: nina.email }], step: contactStep('By email', 'anonymize', 'email') },
		// As a person would type it: the node strips the spaces before sending.
		{ people: [{ phone: '+44 1632 960123' }], step: contactStep('By telephone', 'anonymize', 'telephone') },
	]),
};

