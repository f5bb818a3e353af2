import type { IExecuteFunctions } from 'n8n-workflow';

import { itemParameter } from '../input/itemParameter';
import { InvalidValueError, QUOTED_VALUE_MAX } from '../input/invalidValueError';
import { type Deadline, type DeadlineRule, deadlineFor } from '../receipts/deadline';
import type { Connection, ErasureOperation } from '../types/erasureOperation';

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
		const invalid =
			error instanceof InvalidValueError
				? error
				: new InvalidValueError('Parameters', bounded((error as Error).message));
		return { error: invalid, deadline: received.deadline };
	}
}

/**
 * Each item's deadline, from "Request Received At" and any extension ("Extension Reason", "Person
 * Told of Extension On"), read once per run unless an expression makes them differ between items;
 * the same values give the same deadline, computed once.
 */
export function deadlineReader(context: IExecuteFunctions, rule: DeadlineRule) {
	const now = new Date();
	let last: { value: unknown; reason: unknown; toldOn: unknown; deadline: Deadline } | undefined;
	return (itemIndex: number): DeadlineReading => {
		let field = 'Request Received At';
		try {
			const value = itemParameter(context, 'options.receivedAt', itemIndex, '');
			field = 'Extension Reason';
			const reason = itemParameter(context, 'options.extensionReason', itemIndex, '');
			field = 'Person Told of Extension On';
			const toldOn = itemParameter(context, 'options.extensionToldOn', itemIndex, '');
			if (last && last.value === value && last.reason === reason && last.toldOn === toldOn)
				return { deadline: last.deadline };
			last = { value, reason, toldOn, deadline: deadlineFor(value, rule, now, { reason, toldOn }) };
			return { deadline: last.deadline };
		} catch (error) {
			if (error instanceof InvalidValueError) return { error };
			return { error: new InvalidValueError(field, bounded((error as Error).message)) };
		}
	};
}

/** A message from elsewhere, cut to a few quoted values' length. */
function bounded(message: string): string {
	const limit = 4 * QUOTED_VALUE_MAX;
	return message.length <= limit ? message : `${message.slice(0, limit)}… (${message.length} characters)`;
}
