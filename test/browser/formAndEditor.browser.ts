/**
 * As a person meets the package: the "Erase my data" form filled in and submitted in Chromium, its
 * last page read as text; and the editor, where each of the three nodes opens its parameter panel.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { repoRoot } from '../../scripts/n8n-runtime.mjs';
import { fixtureIds } from '../../simulator/index.mjs';
import { ownerSession, publishWorkflow, type Rest, type RunningN8n, startN8n } from '../e2e/support/n8nServer';
import { simulator } from '../e2e/support/simulator';
import { collectPageErrors, launchChromium, screenshot } from './chromium';

interface ExampleNode {
	id: string;
	name: string;
	type: string;
	webhookId?: string;
}

const formExample = JSON.parse(readFileSync(path.join(repoRoot, 'examples', 'erase-my-data-form.json'), 'utf8')) as {
	id: string;
	nodes: ExampleNode[];
};
const formPath = formExample.nodes.find((node) => node.type === 'n8n-nodes-base.formTrigger')!.webhookId!;

let n8n: RunningN8n;
let rest: Rest;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
	n8n = await startN8n();
	rest = await ownerSession(n8n.url);
	({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(async () => {
	await closeBrowser?.();
	await n8n?.stop();
});
beforeEach(() => simulator.reset());

describe('the "Erase my data" form, in Chromium', () => {
	beforeAll(() => publishWorkflow(n8n.url, rest, formExample.id, { method: 'GET', path: `/form/${formPath}` }));

	it('takes an email and a phone number and ends on a page that says, vendor by vendor, what was done and by when', async () => {
		const page = await browser.newPage();
		const { maria } = fixtureIds.customerGauge;
		const { tom } = fixtureIds.customerGauge;

		await page.goto(`${n8n.url}/form/${formPath}`);
		await page.getByLabel('Email').fill(maria.email);
		await page.getByLabel('Phone').fill(tom.telephone);
		await screenshot(page, 'form-filled-in');
		await page.getByRole('button', { name: /submit/i }).click();
		await page.getByText('We have received your erasure request').waitFor({ timeout: 60_000 });
		await screenshot(page, 'form-final-page');

		const text = await page.locator('body').innerText();
		const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
		expect(lines).toEqual(
			expect.arrayContaining([
				'Bloomreach Engagement: Bloomreach accepted the request to anonymize any customer profile it holds under your email address. It completes the anonymization later.',
				'CustomerGauge: CustomerGauge accepted the anonymization of the survey records held under your email address.',
				'CustomerGauge: CustomerGauge accepted the anonymization of the survey records held under your phone number.',
				'Blueshift: Blueshift holds no profile under your email address: there is nothing to forget.',
			]),
		);
		expect(text).toMatch(/We will complete your request by \d{1,2} [A-Z][a-z]+ \d{4} at the latest/);
		const { customerGauge, bloomreach } = await simulator.state();
		expect(customerGauge.anonymizations).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ by: 'email', value: maria.email }),
				expect.objectContaining({ by: 'telephone', value: tom.telephone }),
			]),
		);
		expect(bloomreach.anonymizations).toEqual([expect.objectContaining({ endpoint: 'anonymize' })]);
		await page.close();
	});
});

describe('the editor, in Chromium', () => {
	let context: BrowserContext;

	beforeAll(async () => {
		context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
		const [name, value] = rest.cookie.split(';')[0].split('=');
		await context.addCookies([{ name, value, url: n8n.url }]);
	});
	afterAll(() => context?.close());

	const nodeId = (name: string) => formExample.nodes.find((node) => node.name === name)!.id;

	it.each([
		['Bloomreach: anonymize', 'bloomreach-panel', 'Customer IDs'],
		['CustomerGauge: preview', 'customergauge-panel', 'Contact'],
		['Blueshift: forget', 'blueshift-panel', 'irreversible'],
	])('opens the parameter panel of "%s" without errors', async (nodeName, shot, expectedText) => {
		const page = await context.newPage();
		const errors = collectPageErrors(page);

		// The editor's own address for a node: the workflow with that node's panel open.
		await page.goto(`${n8n.url}/workflow/${formExample.id}/${nodeId(nodeName)}`);
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor({ timeout: 30_000 });
		await panel.getByText(expectedText, { exact: false }).first().waitFor({ timeout: 30_000 });
		await screenshot(page, shot);

		const panelText = await panel.innerText();
		expect(panelText).toContain(expectedText);
		expect(errors).toEqual([]);
		await page.close();
	});
});
