import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll } from 'vitest';

// n8n-core writes its instance settings under the user folder; keep them out of the home directory.
// Unlike the tests, nothing intercepts HTTP here: the requests go to the simulator on 127.0.0.1 at
// full speed.
const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-erasure-bench-'));
process.env.N8N_USER_FOLDER = userFolder;

afterAll(() => {
	rmSync(userFolder, { recursive: true, force: true });
});
