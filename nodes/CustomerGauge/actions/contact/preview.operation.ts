import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Connection, ErasureOperation, Verdict } from '../../../shared/vendor/erasureOperation';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { interpretCustomerGaugeAnswer } from '../../answers';
import { ANONYMIZE_PATH, customerGauge } from '../../vendor';
import {
	contactFields,
	contactIdentifiers,
	contactKey,
	contactPacing,
	type ContactTarget,
	readContact,
} from './contactTarget';

export const description: INodeProperties[] = showFor('contact', ['preview'], [...contactFields, erasureOptions(contactPacing, [], 'readOnly')]);

/** `Data` is documented as the list of records; an object holding `records` is accepted too. */
export function recordList(data: unknown): unknown[] | undefined {
	if (Array.isArray(data)) return data;
	if (data && typeof data === 'object' && Array.isArray((data as IDataObject).records)) {
		return (data as IDataObject).records as unknown[];
	}
	return undefined;
}

function recordsFound(data: unknown): Verdict {
	const records = recordList(data);
	if (!records) {
		return {
			ok: false,
			reason: 'unexpected_response',
			message: 'CustomerGauge answered the preview without a list of records, so it cannot be shown.',
		};
	}
	const count = records.length;
	return {
		ok: true,
		nothingHeld: count === 0,
		message:
			count === 0
				? 'CustomerGauge holds no records for this contact: Anonymize would have nothing to change. This preview changed nothing.'
				: `CustomerGauge holds ${count} record${count === 1 ? '' : 's'} for this contact, which Anonymize would change. This preview changed nothing.`,
		details: { recordCount: count, records: records as IDataObject[] },
	};
}

export const preview: ErasureOperation<ContactTarget, Connection> = {
	vendor: customerGauge,
	name: 'preview',
	successStatus: 'found',
	options: contactPacing,
	readTarget: readContact,
	identifiers: contactIdentifiers,
	key: contactKey,
	buildRequest: ([target], connection) => ({
		method: 'GET',
		url: `${connection.baseUrl}${ANONYMIZE_PATH}`,
		qs: { [target.identifyBy]: target.value },
	}),
	interpret: (answer, _targets, connection) => interpretCustomerGaugeAnswer(answer, connection, recordsFound),
};
