import { presentValue } from '../privacy/identifierForm';
import type { IdentifierForm } from '../types/receipt';

/** The most characters of a refused value a message quotes; a longer one is cut, with its length. */
export const QUOTED_VALUE_MAX = 80;

/** A value quoted in a message, bounded in length: `"abc…" (10000 characters)`. */
export function quoteBounded(text: string): string {
	if (text.length <= QUOTED_VALUE_MAX) return `"${text}"`;
	return `"${text.slice(0, QUOTED_VALUE_MAX)}…" (${text.length} characters)`;
}

/** A refused identifier, shown in a message only in the form the user chose for identifiers. */
interface RefusedIdentifier {
	value: string;
	/** The problem, given how the value is shown (already in the identifier form and bounded). */
	problem(shown: string): string;
}

/**
 * A value given to the node breaks one of its rules, found before anything is sent: a parameter of
 * one item, or a field of the credential. Names the field and the problem. A refused identifier (an
 * email, a phone number, an ID) is quoted only through `problemIn`, in the Identifier in Output
 * form; `problem` and `message` show it masked.
 */
export class InvalidValueError extends Error {
	private readonly refused: RefusedIdentifier | undefined;

	private readonly fixedProblem: string;

	constructor(
		readonly field: string,
		problem: string | RefusedIdentifier,
	) {
		const refused = typeof problem === 'string' ? undefined : problem;
		const fixed = typeof problem === 'string' ? problem : describeRefused(problem, 'masked');
		super(`${field} ${fixed}`);
		this.refused = refused;
		this.fixedProblem = fixed;
	}

	/** The problem, masked wherever it quotes a refused identifier. */
	get problem(): string {
		return this.fixedProblem;
	}

	/** The problem with a refused identifier shown as Identifier in Output says, and bounded. */
	problemIn(form: IdentifierForm): string {
		return this.refused ? describeRefused(this.refused, form) : this.fixedProblem;
	}
}

function describeRefused({ value, problem }: RefusedIdentifier, form: IdentifierForm): string {
	const shown = presentValue(value, form);
	return problem(
		shown.length <= QUOTED_VALUE_MAX ? shown : `${shown.slice(0, QUOTED_VALUE_MAX)}… (${shown.length} characters)`,
	);
}

export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'boolean') return `the boolean ${value}`;
	return typeof value;
}
