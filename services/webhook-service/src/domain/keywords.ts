export type PreferenceIntent = 'opt_out' | 'opt_in';

/** "  stop. " and "Stop" are the same request; spacing, case and surrounding punctuation carry no meaning. */
const normalise = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();

/**
 * Whole-message keyword matching: "STOP" opts out, "please stop calling me at night" does not, so a
 * conversation never silently unsubscribes anyone. Opt-out wins when a word is in both lists.
 */
export function createKeywordMatcher(keywords: { optOut: readonly string[]; optIn: readonly string[] }) {
  const optOut = new Set(keywords.optOut.map(normalise));
  const optIn = new Set(keywords.optIn.map(normalise));
  return (candidates: ReadonlyArray<string | undefined>): PreferenceIntent | undefined => {
    const words = candidates.filter((text): text is string => text !== undefined).map(normalise);
    if (words.some((word) => optOut.has(word))) return 'opt_out';
    if (words.some((word) => optIn.has(word))) return 'opt_in';
    return undefined;
  };
}
