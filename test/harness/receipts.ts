import { expect } from 'vitest';

/**
 * The deadline fields of a receipt whose request arrived when the node ran (no "Request Received
 * At"), under the default rule (GDPR) in the harness's time zone (n8n's default). The arithmetic
 * itself is checked date by date in deadline.test.ts.
 */
export const receivedWhenRun = {
	receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
	dueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
	dueByRule:
		"GDPR Art. 12(3): one month, to the same date of the next month (or that month's last day), counted from the day of receipt in the time zone America/New_York",
};
