import type { IExecuteFunctions } from 'n8n-workflow';

import { itemParameter } from '../input/itemParameter';
import { InvalidValueError, QUOTED_VALUE_MAX } from '../input/invalidValueError';
import { type Deadline, type DeadlineRule, deadlineFor } from '../receipts/deadline';
import type { Connection, ErasureOperation } from '../vendor/erasureOperation';

type DeadlineReading = { deadline: Deadline; error?: undefined } | { error: InvalidValueError; deadline?: undefined };

/**
 * An item's target and deadline, or why it cannot be sent (with its deadline when that could be
 * read); a failing expression counts as bad input too.
 */
export function readItem<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	deadlineOf: (itemIndex: number) => DeadlineReading,
	itemIndex: number,
): { target: Target; deadline: Deadline } | { error: InvalidValueError; deadline?: Deadline } {
	const received = deadlineOf(itemIndex);
	if (received.error) return received;
	try {
		return { target: operation.readTarget(context, itemIndex), deadline: received.deadline };
	} catch (error) {
		// n8n's own message (a failing expression) may quote item data: bounded like any quoted value.
		const invalid = error instanceof InvalidValueError ? error : new InvalidValueError('Parameters', bounded((error as Error).message));
		return { error: invalid, deadline: received.deadline };
	}
}

/**
 * Each item's deadline, from "Request Received At" (read once per run unless an expression makes it
 * differ between items; the same value gives the same deadline, computed once).
 */
export function deadlineReader(context: IExecuteFunctions, rule: DeadlineRule) {
	const now = new Date();
	let last: { value: unknown; deadline: Deadline } | undefined;
	return (itemIndex: number): DeadlineReading => {
		try {
			const value = itemParameter(context, 'options.receivedAt', itemIndex, '');
			if (last && last.value === value) return { deadline: last.deadline };
			last = { value, deadline: deadlineFor(value, rule, now) };
			return { deadline: last.deadline };
		} catch (error) {
			if (error instanceof InvalidValueError) return { error };
			return { error: new InvalidValueError('Request Received At', bounded((error as Error).message)) };
		}
	};
}

/** A message from elsewhere, cut to a few quoted values' length. */
function bounded(message: string): string {
	const limit = 4 * QUOTED_VALUE_MAX;
	return message.length <= limit ? message : `${message.slice(0, limit)}… (${message.length} characters)`;
}
