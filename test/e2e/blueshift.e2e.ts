import { beforeEach, describe, expect, it } from 'vitest';

import { fixtureIds, fixtures, type SimulatorState } from '../../simulator/index.mjs';
import { executeWorkflow, outputOf } from './support/execute';
import { requestLines, simulator } from './support/simulator';
import { blueshiftWorkflows } from './workflows/blueshift';

const { crowd, trio, solo } = fixtureIds.blueshift;

const uuidsOf = (email: string) =>
	fixtures.blueshift.profiles.filter((profile) => profile.email === email).map((profile) => profile.uuid);
const remainingUuids = (state: SimulatorState) => new Set(state.blueshift.profiles.map((profile) => profile.uuid));

describe('Blueshift in a real n8n (n8n execute)', () => {
	beforeEach(() => simulator.reset());

	it('forgets the profiles matching an email, or a customer ID alone', async () => {
		const execution = await executeWorkflow(blueshiftWorkflows.forget.id);

		const [trio2] = fixtures.blueshift.profiles.filter((profile) => profile.customer_id === 'trio-2');
		const state = await simulator.state();
		const jobs = state.blueshift.jobs.map(({ endpoint, identifiers, deletedUuids }) => [
			endpoint,
			identifiers,
			deletedUuids,
		]);
		expect(jobs).toEqual([
			['forget', { email: solo.email }, uuidsOf(solo.email)],
			['forget', { customer_id: 'trio-2' }, [trio2.uuid]],
		]);
		expect(state.blueshift.profiles).toHaveLength(fixtures.blueshift.profiles.length - 2);

		const accepted = {
			vendor: 'Blueshift',
			operation: 'forget',
			status: 'accepted',
			httpStatus: 200,
			attempts: 1,
			vendorReference: null,
		};
		expect(outputOf(execution, 'By email')).toEqual([
			expect.objectContaining({ ...accepted, identifiers: [{ type: 'email', value: 's***@example.com' }] }),
		]);
		expect(outputOf(execution, 'By customer ID')).toEqual([
			expect.objectContaining({ ...accepted, identifiers: [{ type: 'customer_id', value: '***' }] }),
		]);
	});

	it('deletes all matching profiles, at most 50 per request, and says how many a request could not cover', async () => {
		const execution = await executeWorkflow(blueshiftWorkflows.deleteAllMatching.id);

		// Two people at a time: the order of their searches and deletions varies.
		expect(requestLines(await simulator.requests()).sort()).toEqual([
			'GET blueshift search 200',
			'GET blueshift search 200',
			'GET blueshift search 200',
			'POST blueshift delete 200',
			'POST blueshift delete 200',
		]);
		const state = await simulator.state();
		const remaining = remainingUuids(state);
		expect(uuidsOf(trio.email).filter((uuid) => remaining.has(uuid))).toEqual([]);
		expect(uuidsOf(crowd.email).filter((uuid) => remaining.has(uuid))).toHaveLength(crowd.count - 50);
		const jobs = state.blueshift.jobs.map((job) => [job.identifiers.email, job.deleteAll, job.deletedUuids.length]);
		expect(jobs.sort()).toEqual([
			[crowd.email, true, 50],
			[trio.email, true, 3],
		]);

		const [trioReceipt, crowdReceipt, nobodyReceipt] = outputOf(execution, 'Delete all matching');
		expect(trioReceipt).toMatchObject({
			operation: 'delete',
			status: 'accepted',
			matchedProfiles: 3,
			profilesNotCovered: 0,
		});
		expect(crowdReceipt).toMatchObject({ status: 'accepted', matchedProfiles: 120, profilesNotCovered: 70 });
		expect(crowdReceipt.message).toContain(
			'Searched first: 120 matching profiles; this request covers at most 50, so 70 are not covered by it',
		);
		expect(nobodyReceipt).toMatchObject({ status: 'skipped', matchedProfiles: 0, profilesNotCovered: 0 });
	});

	it('searches without changing anything', async () => {
		const execution = await executeWorkflow(blueshiftWorkflows.search.id);

		expect(requestLines(await simulator.requests())).toEqual(['GET blueshift search 200', 'GET blueshift search 200']);
		expect((await simulator.state()).blueshift).toEqual({ profiles: fixtures.blueshift.profiles, jobs: [] });

		const [found, nobody] = outputOf(execution, 'Search');
		expect(found).toMatchObject({
			operation: 'search',
			status: 'found',
			profileCount: 3,
			message: 'Blueshift holds 3 profiles matching these identifiers. This search changed nothing.',
		});
		// Without Include Found Records the profiles themselves stay out of the execution data.
		expect(found).not.toHaveProperty('profiles');
		expect(JSON.stringify(found)).not.toContain(uuidsOf(trio.email)[0]);
		expect(nobody).toMatchObject({ status: 'not_found', profileCount: 0 });
	});

	it('keeps a recorded extension: dueBy moves two further months and overdue counts from it', async () => {
		const execution = await executeWorkflow(blueshiftWorkflows.verifyExtended.id);

		expect(requestLines(await simulator.requests())).toEqual(['GET blueshift search 200', 'GET blueshift search 200']);
		const [notExtended] = outputOf(execution, 'Not extended');
		const [extended] = outputOf(execution, 'Extended');
		expect(notExtended).toMatchObject({
			status: 'pending',
			dueBy: '2026-11-01',
			originalDueBy: '2026-11-01',
			extension: null,
		});
		expect(extended).toMatchObject({
			status: 'pending',
			dueBy: '2027-01-01',
			originalDueBy: '2026-11-01',
			extension: { reason: 'Many requests this month', personToldOn: '2026-10-20' },
			dueByRule: expect.stringContaining('Many requests this month'),
		});
		// Today is past 1 November 2026 and before 1 January 2027 (this session ran on 6 December 2026).
		const today = new Date().toISOString().slice(0, 10);
		expect(notExtended.overdue).toBe(today > '2026-11-01');
		expect(extended.overdue).toBe(today > '2027-01-01');
	});
});
