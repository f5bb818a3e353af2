import { fixtureIds } from '../../../simulator/index.mjs';
import { type ErasureStep, laneWorkflow } from './laneWorkflow';

const { maria, nina } = fixtureIds.customerGauge;

export const contactStep = (
	name: string,
	operation: 'anonymize' | 'preview' | 'verify',
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
	/** Version 2's default: OAuth2 and API v6, then a verification of the same person. */
	oAuth2: laneWorkflow('e2eCustomerGaugeOAuth2', 'e2e: CustomerGauge with OAuth2 (v6), then verified', [
		{
			people: [{ email: maria.email }],
			step: {
				...contactStep('Anonymize via v6', 'anonymize', 'email'),
				typeVersion: 2,
				credentialType: 'customerGaugeOAuth2Api',
			},
		},
		{
			people: [{ email: maria.email }],
			step: { ...contactStep('Verify', 'verify', 'email'), typeVersion: 2, credentialType: 'customerGaugeOAuth2Api' },
		},
	]),
	anonymize: laneWorkflow('e2eCustomerGaugeAnonymize', 'e2e: CustomerGauge anonymize', [
		{ people: [{ email: maria.email }, { email: nina.email }], step: contactStep('By email', 'anonymize', 'email') },
		// As a person would type it: the node strips the spaces before sending.
		{ people: [{ phone: '+44 1632 960123' }], step: contactStep('By telephone', 'anonymize', 'telephone') },
	]),
};
