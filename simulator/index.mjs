/** The local vendor simulator: start it with `startSimulator`, or from the shell with cli.mjs. */
export { startSimulator } from './server.mjs';
export { DEFAULT_CREDENTIALS, VENDORS } from './config.mjs';
export { FAULT_KINDS } from './faults.mjs';
export { fixtureIds, fixtures, generatedIdentity } from './fixtures.mjs';
