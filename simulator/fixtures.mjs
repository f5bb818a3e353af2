/**
 * The customers, records and profiles every store starts with (and returns to on reset).
 * Frozen: the stores work on copies.
 */

function deepFreeze(value) {
	if (value && typeof value === 'object') {
		for (const entry of Object.values(value)) deepFreeze(entry);
		Object.freeze(value);
	}
	return value;
}

/** Properties the simulated Bloomreach project marks Private (PII) in its Data manager. */
const BLOOMREACH_PRIVATE_PROPERTIES = ['email', 'first_name', 'last_name', 'phone', 'birth_date', 'street_address'];

const bloomreachCustomers = [
	{
		internal_id: '57e99c7bfb60099395b94b6d',
		ids: { registered: 'ada@example.com', cookie: ['c0ffee00-0000-4000-8000-000000000001'] },
		properties: {
			email: 'ada@example.com',
			first_name: 'Ada',
			last_name: 'Lovelace',
			phone: '+447700900001',
			birth_date: '1815-12-10',
			country: 'GB',
			plan: 'premium',
			lifetime_value: 1250.5,
		},
	},
	{
		internal_id: '5f3b2c1d4e5f6a7b8c9d0e1f',
		ids: {
			registered: 'grace@example.com',
			crm_id: 'CRM-1002',
			cookie: ['c0ffee00-0000-4000-8000-000000000002', 'c0ffee00-0000-4000-8000-000000000003'],
		},
		properties: {
			email: 'grace@example.com',
			first_name: 'Grace',
			last_name: 'Hopper',
			street_address: '1 Navy Way',
			country: 'US',
			plan: 'basic',
			signup_date: '2021-03-04',
		},
	},
	{
		internal_id: '60a1b2c3d4e5f60718293a4b',
		ids: { registered: 'linus@example.com', cookie: ['c0ffee00-0000-4000-8000-000000000004'] },
		properties: { email: 'linus@example.com', first_name: 'Linus', country: 'FI', plan: 'free' },
	},
	{
		// A visitor known only by a soft ID.
		internal_id: '61b2c3d4e5f60718293a4b5c',
		ids: { cookie: ['c0ffee00-0000-4000-8000-000000000005'] },
		properties: { country: 'NL', newsletter_consent: false },
	},
];

const ANONYMISED_COMMENT = 'This comment has been anonymised based on customer request';

function customerGaugeRecord(recordId, email, firstName, lastName, telephone, customerNumber, comment) {
	return {
		record_id: recordId,
		email,
		first_name: firstName,
		last_name: lastName,
		sms_telephone: telephone,
		customer_number: customerNumber,
		job_level: 'Manager',
		job_position: 'Head of Purchasing',
		follow_up_details: `Call back ${firstName}`,
		nps_score: 9,
		nps_comment: comment,
		comment_translation: comment,
		workflow_comment: `Follow-up with ${firstName} done`,
		additional_comment: `${firstName} asked about pricing`,
		segment_region: 'EMEA',
		custom_field_1: `${firstName}'s favourite colour is blue`,
		date_sent: '2024-05-01',
	};
}

const customerGaugeRecords = [
	customerGaugeRecord(1001, 'maria@example.com', 'Maria', 'Garcia', '+34600000001', 'C-1001', 'Great service'),
	customerGaugeRecord(1002, 'maria@example.com', 'Maria', 'Garcia', '+34600000001', 'C-1001', 'Slow delivery'),
	customerGaugeRecord(1003, 'Maria@Example.com', 'Maria', 'Garcia', '+34600000002', 'C-1001', 'Fine'),
	customerGaugeRecord(1004, 'tom@example.com', 'Tom', 'Baker', '+441632960123', 'C-2001', 'Helpful staff'),
	customerGaugeRecord(1005, 'tom.baker@example.org', 'Tom', 'Baker', '+441632960123', 'C-2002', 'Would recommend'),
	customerGaugeRecord(1006, 'nina@example.com', 'Nina', 'Simone', '+15550100006', 'C-3001', 'Too expensive'),
];

/** Blueshift profiles that share one email: more than one delete_all_matching_customers request can remove. */
const CROWD_SIZE = 120;

function blueshiftProfile(uuid, email, customerId, extra = {}) {
	return {
		uuid,
		email,
		customer_id: customerId,
		cookie: `cookie-${customerId}`,
		firstname: customerId.split('-')[0],
		lastname: 'Example',
		joined_at: '2023-01-01T00:00:00Z',
		...extra,
	};
}

const uuidFor = (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const blueshiftProfiles = [
	...Array.from({ length: CROWD_SIZE }, (_, i) =>
		blueshiftProfile(uuidFor(1 + i), 'crowd@example.com', `crowd-${String(i + 1).padStart(3, '0')}`),
	),
	...[1, 2, 3].map((n) => blueshiftProfile(uuidFor(500 + n), 'trio@example.com', `trio-${n}`)),
	blueshiftProfile(uuidFor(600), 'solo@example.com', 'solo-1', { device_id: 'device-solo-1' }),
	blueshiftProfile(uuidFor(601), 'other@example.com', 'other-1', { device_id: 'device-other-1' }),
];

export const fixtures = deepFreeze({
	bloomreach: { privateProperties: BLOOMREACH_PRIVATE_PROPERTIES, customers: bloomreachCustomers },
	customerGauge: { records: customerGaugeRecords, anonymisedComment: ANONYMISED_COMMENT },
	blueshift: { profiles: blueshiftProfiles },
});

/** Named handles on the fixtures above, for tests. */
export const fixtureIds = deepFreeze({
	bloomreach: {
		ada: { registered: 'ada@example.com', internalId: '57e99c7bfb60099395b94b6d' },
		grace: { registered: 'grace@example.com', crmId: 'CRM-1002', internalId: '5f3b2c1d4e5f6a7b8c9d0e1f' },
		linus: { registered: 'linus@example.com', internalId: '60a1b2c3d4e5f60718293a4b' },
		visitor: { cookie: 'c0ffee00-0000-4000-8000-000000000005', internalId: '61b2c3d4e5f60718293a4b5c' },
	},
	customerGauge: {
		/** Three records, one with the address in other letter case. */
		maria: { email: 'maria@example.com', recordIds: [1001, 1002, 1003] },
		/** Two records with different emails share this telephone. */
		tom: { telephone: '+441632960123', recordIds: [1004, 1005] },
		nina: { email: 'nina@example.com', recordIds: [1006] },
	},
	blueshift: {
		crowd: { email: 'crowd@example.com', count: CROWD_SIZE },
		trio: { email: 'trio@example.com', count: 3 },
		solo: { email: 'solo@example.com', customerId: 'solo-1', deviceId: 'device-solo-1', cookie: 'cookie-solo-1' },
	},
});

/**
 * The identifiers of the i-th generated person (option `generated`), the same in all three
 * vendors: one Bloomreach customer, one CustomerGauge record, one Blueshift profile each.
 * @param {number} i 0-based
 */
export function generatedIdentity(i) {
	const n = String(i).padStart(8, '0');
	return {
		email: `bench-${n}@bench.example`,
		internalId: `be${i.toString(16).padStart(22, '0')}`,
		telephone: `+9${n}`,
		customerId: `bench-${n}`,
	};
}

/**
 * Fresh, mutable copies of the fixtures plus `generated` people per vendor.
 * @param {{ bloomreach?: number, customerGauge?: number, blueshift?: number }} generated
 */
export function seedData(generated = {}) {
	const seed = structuredClone(fixtures);
	for (let i = 0; i < (generated.bloomreach ?? 0); i++) {
		const { email, internalId } = generatedIdentity(i);
		seed.bloomreach.customers.push({
			internal_id: internalId,
			ids: { registered: email, cookie: [`cookie-${internalId}`] },
			properties: { email, first_name: 'Bench', country: 'XX', plan: 'free' },
		});
	}
	for (let i = 0; i < (generated.customerGauge ?? 0); i++) {
		const { email, telephone, customerId } = generatedIdentity(i);
		seed.customerGauge.records.push(
			customerGaugeRecord(1_000_000 + i, email, 'Bench', 'Person', telephone, customerId, 'Generated'),
		);
	}
	for (let i = 0; i < (generated.blueshift ?? 0); i++) {
		const { email, customerId } = generatedIdentity(i);
		seed.blueshift.profiles.push(blueshiftProfile(uuidFor(1_000_000 + i), email, customerId));
	}
	return seed;
}
