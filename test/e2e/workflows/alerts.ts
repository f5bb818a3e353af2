import { scheduleExampleEveryFewSeconds } from './scheduleExample';
import { verifyExampleSoon } from './verifyExample';

/**
 * The people the alerts and stored-data test submits: addresses and numbers no other test uses, so
 * that finding one in n8n's database can only come from that test's executions.
 */
export const people = {
	formConfirmed: 'form-confirmed@stored-data.example',
	formWaiting: 'form-waiting@stored-data.example',
	formFailed: 'form-failed@stored-data.example',
	listAccepted: 'list-accepted@stored-data.example',
	listAcceptedPhone: '+442079460371',
	listFailed: 'list-failed@stored-data.example',
	listFailedPhone: '+442079460372',
	verifyCompleted: 'verify-completed@stored-data.example',
	verifyOverdue: 'verify-overdue@stored-data.example',
	nightlyAccepted: 'nightly-accepted@stored-data.example',
	nightlyFailed: 'nightly-failed@stored-data.example',
} as const;

export const VERIFY_ALERTS_PATH = 'e2e-erasure-request-alerts';

/** The verify example (checked after two seconds) on a path of its own, so its failures stay its own. */
export const verifyAlertsWorkflow = verifyExampleSoon({
	id: 'e2eVerifyAlerts',
	route: VERIFY_ALERTS_PATH,
	webhookIds: ['a1b2c3d4-0006-4000-8000-0000000e2e01', 'a1b2c3d4-0006-4000-8000-0000000e2e02'],
});

/** The nightly example as published, every five seconds, with a queue of one person each. */
export const nightlyAcceptedWorkflow = scheduleExampleEveryFewSeconds('e2eNightlyAccepted', [people.nightlyAccepted]);
export const nightlyFailedWorkflow = scheduleExampleEveryFewSeconds('e2eNightlyFailed', [people.nightlyFailed]);
