import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

import { repoRoot } from '../../scripts/lib/n8n-runtime.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go: test artifacts, not part of the repository. */
export const artifactsDir = path.join(repoRoot, 'test-artifacts', 'browser');

/**
 * Debian's Chromium, headless, with nothing that reaches outside this machine (no background
 * networking, no component updates); playwright gives it a fresh, temporary profile.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`,
		);
	}
	mkdirSync(artifactsDir, { recursive: true });
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	return {
		browser,
		close: async () => await browser.close(),
	};
}

/**
 * Errors the page raised (uncaught exceptions and console errors), minus what only says that a host
 * outside this machine cannot be reached (n8n's editor asks n8n.io for banners, for instance).
 */
export function collectPageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() !== 'error') return;
		const text = message.text();
		if (/net::ERR_|Failed to load resource|Failed to fetch dynamic banners/.test(text)) return;
		errors.push(`console: ${text}`);
	});
	return errors;
}

export const screenshot = async (page: Page, name: string) =>
	await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
