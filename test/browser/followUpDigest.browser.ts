/**
 * What the privacy team reads: the daily digest and the monthly summary of "Erasure follow-up and
 * summary (schedule)", run on a seeded Erasure log, opened from the local inbox in Chromium.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { selectedRuntime } from '../../scripts/lib/n8n-runtime.mjs';
import { e2eContext } from '../e2e/context';
import { publishFollowUpWorkflows, runFollowUpWorkflow } from '../e2e/support/followUp';
import { inbox } from '../e2e/support/mail';
import { ownerSession, type RunningN8n, startN8n } from '../e2e/support/n8nServer';
import { simulator } from '../e2e/support/simulator';
import { PRIVACY_TEAM } from '../e2e/workflows/followUpExample';
import { collectPageErrors, launchChromium, screenshot } from './chromium';

// The Erasure log is a data table, which n8n 1.x cannot create (docs/privacy-officer.md, Security model).
const tablesCanBeCreated = Number(selectedRuntime().n8nVersion.split('.')[0]) >= 2;

let n8n: RunningN8n | undefined;
let browser: Browser;
let closeBrowser: (() => Promise<void>) | undefined;

describe.runIf(tablesCanBeCreated)('the follow-up digest and the monthly summary, in the inbox', () => {
	beforeAll(async () => {
		n8n = await startN8n();
		await publishFollowUpWorkflows(n8n.url, await ownerSession(n8n.url));
		({ browser, close: closeBrowser } = await launchChromium());
	});
	afterAll(async () => {
		await closeBrowser?.();
		if (n8n) await runFollowUpWorkflow(n8n.url, 'drop').catch(() => undefined);
		await n8n?.stop();
	});
	beforeEach(async () => {
		await simulator.reset();
		await inbox.clear();
	});

	it('shows the digest and the summary as the privacy team reads them', async () => {
		await runFollowUpWorkflow(n8n!.url, 'seed');
		await runFollowUpWorkflow(n8n!.url, 'followUp');
		await runFollowUpWorkflow(n8n!.url, 'summary');
		const digest = await inbox.nth(PRIVACY_TEAM, 1);
		const summary = await inbox.nth(PRIVACY_TEAM, 2);
		const { inboxUrl } = e2eContext();
		const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
		const errors = collectPageErrors(page);

		await page.goto(inboxUrl);
		await page.getByText(digest.subject).first().waitFor({ timeout: 30_000 });
		await screenshot(page, 'inbox-follow-up');

		await page.goto(`${inboxUrl}/api/email/${digest.id}/html`);
		const digestText = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
		await screenshot(page, 'follow-up-digest');
		expect(digestText).toContain('Erasure requests: daily follow-up');
		expect(digestText).toMatch(/Overdue \(1\) .*seed-overdue/);
		expect(digestText).toMatch(/Due within 7 days \(2\) .*seed-due-soon.*seed-extended .*\(extended from /);
		expect(digestText).not.toContain('@');

		await page.goto(`${inboxUrl}/api/email/${summary.id}/html`);
		const summaryText = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
		await screenshot(page, 'monthly-summary-email');
		expect(summaryText).toContain('Erasure requests: monthly summary');
		// Nine requests: on time 3 (one only by its extension), late 1, open 5; median of 3, 15, 40 and 40 days.
		expect(summaryText).toMatch(/All requests in the log 9 3 1 5 27\.5/);

		expect(errors).toEqual([]);
		await page.close();
	});
});
