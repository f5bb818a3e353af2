import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

// n8n-core writes its instance settings under the user folder; keep them out of the home directory.
const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-erasure-test-'));
process.env.N8N_USER_FOLDER = userFolder;

beforeAll(() => {
	nock.disableNetConnect();
});

afterEach(() => {
	nock.cleanAll();
});

afterAll(() => {
	nock.enableNetConnect();
	rmSync(userFolder, { recursive: true, force: true });
});
