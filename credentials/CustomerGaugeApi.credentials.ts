import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { customerGaugeRegionProperties } from '../nodes/CustomerGauge/regions';
import { withHeader } from './common/requestAuthentication';

export class CustomerGaugeApi implements ICredentialType {
	name = 'customerGaugeApi';

	displayName = 'CustomerGauge API';

	documentationUrl = 'https://github.com/n8n-nodes-erasure/n8n-nodes-erasure/blob/main/docs/nodes/customergauge.md';

	icon: Icon = {
		light: 'file:../nodes/CustomerGauge/customerGauge.svg',
		dark: 'file:../nodes/CustomerGauge/customerGauge.dark.svg',
	};

	properties: INodeProperties[] = [
		...customerGaugeRegionProperties('Custom Base URL'),
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your CustomerGauge API key (Settings > Integrations > API, or ask your Customer Success Manager)',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withHeader(requestOptions, 'Authorization', `api_key ${String(credentials.apiKey)}`);
	}
}
