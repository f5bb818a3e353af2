import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ErasureOperation, Verdict } from '../../../shared/types/erasureOperation';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { interpretCustomerGaugeAnswer, interpretRecordList } from '../../answers';
import { ANONYMIZE_PATH, type CustomerGaugeConnection } from '../../vendor';
import { byContact, contactFields, contactPacing, type ContactTarget } from './contactTarget';

export const description: INodeProperties[] = showFor(
	'contact',
	['preview'],
	[...contactFields, erasureOptions(contactPacing, [], 'readOnly')],
);

function recordsFound(records: IDataObject[]): Verdict {
	const count = records.length;
	return {
		ok: true,
		nothingHeld: count === 0,
		message:
			count === 0
				? 'CustomerGauge holds no records for this contact: Anonymize would have nothing to change. This preview changed nothing.'
				: `CustomerGauge holds ${count} record${count === 1 ? '' : 's'} for this contact, which Anonymize would change. This preview changed nothing.`,
		details: { recordCount: count, records },
	};
}

export const preview: ErasureOperation<ContactTarget, CustomerGaugeConnection> = {
	...byContact,
	name: 'preview',
	successStatus: 'found',
	buildRequest: ([target], connection) => ({
		method: 'GET',
		url: `${connection.baseUrl}${ANONYMIZE_PATH}`,
		qs: { [target.identifyBy]: target.value },
	}),
	interpret: (answer, _targets, connection) =>
		interpretCustomerGaugeAnswer(answer, connection, (data) =>
			interpretRecordList(
				data,
				'CustomerGauge answered the preview without a list of records, so it cannot be shown.',
				recordsFound,
			),
		),
};
