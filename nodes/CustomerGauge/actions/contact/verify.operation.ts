import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ErasureOperation, Verdict } from '../../../shared/types/erasureOperation';
import { showFor } from '../../../shared/description/displayOptions';
import { erasureOptions } from '../../../shared/description/options';
import { interpretCustomerGaugeAnswer, interpretRecordList } from '../../answers';
import type { CustomerGaugeConnection } from '../../vendor';
import { contactFields, contactPacing, type ContactTarget } from './contactTarget';
import { preview } from './preview.operation';

export const description: INodeProperties[] = showFor(
	'contact',
	['verify'],
	[...contactFields, erasureOptions(contactPacing, [], 'verification')],
);

/**
 * Anonymization replaces the email by a random address and the telephone by ***, so a contact
 * whose records are all anonymized is no longer found under the identifier it was erased by.
 */
function remainingRecords({ length: count }: IDataObject[], target: ContactTarget): Verdict {
	if (count === 0) {
		return {
			ok: true,
			verification: 'completed',
			message: `CustomerGauge holds no record under this ${target.identifyBy} any more: the anonymization is complete. Checked with the read-only preview; nothing was changed.`,
			details: { recordCount: 0 },
		};
	}
	return {
		ok: true,
		verification: 'pending',
		message: `CustomerGauge still holds ${count} record${count === 1 ? '' : 's'} under this ${target.identifyBy}: the anonymization has not finished, or was never requested. Check again later; if this stays, send Anonymize again (it is safe to repeat). Nothing was changed.`,
		details: { recordCount: count },
	};
}

export const verify: ErasureOperation<ContactTarget, CustomerGaugeConnection> = {
	...preview,
	name: 'verify',
	verifies: true,
	interpret: (answer, [target], connection) =>
		interpretCustomerGaugeAnswer(answer, connection, (data) =>
			interpretRecordList(
				data,
				'CustomerGauge answered the check without a list of records, so the erasure cannot be verified.',
				(records) => remainingRecords(records, target),
			),
		),
};
