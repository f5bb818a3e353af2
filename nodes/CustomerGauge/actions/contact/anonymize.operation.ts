import type { INodeProperties } from 'n8n-workflow';

import type { ErasureOperation } from '../../../shared/types/erasureOperation';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { collectText } from '../../../shared/sending/answerText';
import { interpretCustomerGaugeAnswer, interpretV6Answer } from '../../answers';
import { ANONYMIZE_PATH, type CustomerGaugeConnection, V6_ANONYMIZE_PATH } from '../../vendor';
import { byContact, contactFields, contactPacing, type ContactTarget } from './contactTarget';

export const description: INodeProperties[] = showFor(
	'contact',
	['anonymize'],
	[...contactFields, erasureOptions(contactPacing)],
);

const accepted = (vendorText: string) =>
	`CustomerGauge accepted the anonymization of every record of this contact${vendorText ? ` ("${vendorText}")` : ''}. Custom fields, and segment fields not agreed with CustomerGauge, are not anonymized.`;

export const anonymize: ErasureOperation<ContactTarget, CustomerGaugeConnection> = {
	...byContact,
	name: 'anonymize',
	successStatus: 'accepted',
	buildRequest: ([target], connection) =>
		connection.api === 'v6'
			? {
					// v6 documents the telephone as "phone" in its request body (and "telephone" in its prose).
					method: 'POST',
					url: `${connection.baseUrl}${V6_ANONYMIZE_PATH}`,
					body: { [target.identifyBy === 'email' ? 'email' : 'phone']: target.value },
				}
			: {
					method: 'POST',
					url: `${connection.baseUrl}${ANONYMIZE_PATH}`,
					body: { [target.identifyBy]: target.value },
					bodyEncoding: 'form',
				},
	interpret: (answer, _targets, connection) =>
		connection.api === 'v6'
			? interpretV6Answer(answer, connection, accepted)
			: interpretCustomerGaugeAnswer(answer, connection, (data) => ({
					ok: true,
					message: accepted(collectText(data).join('; ')),
				})),
};
