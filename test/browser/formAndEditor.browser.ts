/**
 * As a person meets the package: the "Erase my data" form filled in and submitted in Chromium, the
 * confirmation email opened in the local inbox, its link followed and confirmed, the second email
 * read; and the editor, where each of the three nodes opens its parameter panel.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { repoRoot } from '../../scripts/lib/n8n-runtime.mjs';
import { fixtureIds } from '../../simulator/index.mjs';
import { e2eContext } from '../e2e/context';
import { inbox } from '../e2e/support/mail';
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
beforeEach(async () => {
	await simulator.reset();
	await inbox.clear();
});

describe('the "Erase my data" form, in Chromium', () => {
	beforeAll(() => publishWorkflow(n8n.url, rest, formExample.id, { method: 'GET', path: `/form/${formPath}` }));

	it('takes an email, sends a confirmation link, and erases only after the person confirms from the inbox', async () => {
		const page = await browser.newPage();
		const errors = collectPageErrors(page);
		const { solo } = fixtureIds.blueshift;
		const { inboxUrl } = e2eContext();

		await page.goto(`${n8n.url}/form/${formPath}`);
		await page.getByLabel('Email').fill(solo.email);
		await screenshot(page, 'form-filled-in');
		await page.getByRole('button', { name: /submit/i }).click();
		await page
			.getByText('If this address is ours to act on, a confirmation link is on its way to it.')
			.waitFor({ timeout: 60_000 });
		await screenshot(page, 'form-submitted');

		const confirmation = await inbox.nth(solo.email, 1);
		expect(await simulator.requests()).toEqual([]);
		await page.goto(inboxUrl);
		await page.getByText('Confirm your request to erase your data').first().waitFor({ timeout: 30_000 });
		await screenshot(page, 'inbox-confirmation');

		// The message as the inbox renders it; its button is the signed link n8n made.
		await page.goto(`${inboxUrl}/api/email/${confirmation.id}/html`);
		// The button opens the link in a new tab, as a mail client does.
		const [confirmationPage] = await Promise.all([
			page.waitForEvent('popup'),
			page.getByRole('link', { name: 'Review and confirm' }).click(),
		]);
		await confirmationPage.getByLabel('Confirmation').selectOption('Yes, erase my data');
		expect(await confirmationPage.locator('body').innerText()).toContain('Erasure cannot be undone.');
		await screenshot(confirmationPage, 'confirmation-page');
		await confirmationPage.getByRole('button', { name: 'Erase my data' }).click();
		await confirmationPage.getByText('Got it, thanks').waitFor({ timeout: 30_000 });
		await screenshot(confirmationPage, 'confirmed');
		await confirmationPage.close();

		const record = await inbox.nth(solo.email, 2);
		await page.goto(`${inboxUrl}/api/email/${record.id}/html`);
		const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
		await screenshot(page, 'what-we-did-email');
		expect(text).toContain('Blueshift: Blueshift accepted our request to forget your profile.');
		expect(text).toMatch(/The law gives us until \d{1,2} [A-Z][a-z]+ \d{4} to complete your request/);
		const { blueshift } = await simulator.state();
		expect(blueshift.profiles.map((profile) => profile.email)).not.toContain(solo.email);
		expect(errors).toEqual([]);
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

	it("shows the form example's whole note on the canvas, no node over it, starting with the warning", async () => {
		const page = await context.newPage();
		await page.goto(`${n8n.url}/workflow/${formExample.id}`);
		const note = page.locator('[data-test-id="sticky"]');
		await note.getByText('Erasure cannot be undone.').waitFor({ timeout: 30_000 });
		await screenshot(page, 'form-example-canvas');

		// Boxes on the screen; the note's rendered text is as tall as its content whatever the note's height.
		const noteBox = (await note.boundingBox())!;
		const textBox = (await note.locator('.n8n-markdown > div').first().boundingBox())!;
		const nodes = page.locator('[data-test-id="canvas-node"]');
		const nodeBoxes = await Promise.all((await nodes.all()).map(async (node) => (await node.boundingBox())!));
		type Box = typeof noteBox;
		const overlaps = (a: Box, b: Box) =>
			a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
		expect(textBox.y + textBox.height).toBeLessThanOrEqual(noteBox.y + noteBox.height);
		expect(nodeBoxes).toHaveLength(formExample.nodes.length - 1);
		expect(nodeBoxes.filter((box) => overlaps(box, noteBox))).toEqual([]);
		await page.close();
	});

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
