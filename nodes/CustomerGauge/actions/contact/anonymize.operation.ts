import type { INodeProperties } from 'n8n-workflow';

import type { Connection, ErasureOperation } from '../../../shared/erasureOperation';
import { erasureOptions } from '../../../shared/options';
import { collectText } from '../../../shared/vendorAnswer';
import { ANONYMIZE_PATH, customerGauge, interpretCustomerGaugeAnswer } from '../../customerGaugeApi';
import {
	contactFields,
	contactIdentifiers,
	contactKey,
	contactPacing,
	type ContactTarget,
	readContact,
} from './contactTarget';

export const description: INodeProperties[] = [
	...contactFields('anonymize'),
	erasureOptions(contactPacing, 'anonymize'),
];

export const anonymize: ErasureOperation<ContactTarget, Connection> = {
	vendor: customerGauge,
	name: 'anonymize',
	successStatus: 'accepted',
	options: contactPacing,
	readTarget: readContact,
	identifiers: contactIdentifiers,
	key: contactKey,
	buildRequest: ([target], connection) => ({
		method: 'POST',
		url: `${connection.baseUrl}${ANONYMIZE_PATH}`,
		body: { [target.identifyBy]: target.value },
		bodyEncoding: 'form',
	}),
	interpret: (answer) =>
		interpretCustomerGaugeAnswer(answer, (data) => {
			const vendorText = collectText(data).join('; ');
			return {
				ok: true,
				message: `CustomerGauge accepted the anonymization of every record of this contact${vendorText ? ` ("${vendorText}")` : ''}. Custom fields, and segment fields not agreed with CustomerGauge, are not anonymized.`,
			};
		}),
};
