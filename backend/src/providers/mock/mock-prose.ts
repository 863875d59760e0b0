/**
 * Plausible prose for the mock model: paragraphs of sentences picked from templates by a seeded
 * sequence, with the question's main word as their topic. Pure and deterministic: the same seed
 * and question give the same words.
 */

/** A deterministic sequence of unsigned 32-bit numbers (xorshift32). */
export type Random = () => number;

/** xorshift32 from a non-zero seed. */
export function seededRandom(seed: number): Random {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[random() % items.length];

const OPENERS = [
  'Good question.',
  'Here is a short answer.',
  'In short, it depends on what you need from {topic}.',
  'Happy to help with {topic}.',
  'There are a few ways to look at {topic}.',
  'The short version: start simple with {topic} and measure.',
];
const SENTENCES = [
  'The most common approach is to break the problem into smaller steps and check each one before moving on.',
  'Most teams start with the defaults and only tune {topic} once they see real traffic.',
  'It helps to write down what a good result looks like before changing anything.',
  'The main trade-off is between latency and quality, so it is worth measuring both.',
  'If the numbers look off, compare a recent example with an older one side by side.',
  'A small test set of twenty or thirty examples is usually enough to spot regressions.',
  'Caching repeated requests can cut both cost and response time noticeably.',
  'Keep the instructions short and specific; long prompts tend to drift.',
  'For {topic}, the documentation has a worked example that covers the usual edge cases.',
  'You can roll the change out to a small share of users first and watch the error rate.',
  'Logging the inputs and outputs makes it much easier to explain surprising answers later.',
  'When {topic} behaves differently in production, the cause is often a missing parameter.',
  'A quick sanity check is to run the same request twice and compare the results.',
  'Structured output is easier to validate than free text, especially downstream.',
  'If you need more detail on {topic}, I can walk through a concrete example.',
  'Retries with a short backoff handle most transient errors from upstream services.',
  'It is usually cheaper to shorten the context than to switch to a larger model.',
  'The first version does not need to be perfect; it needs to be observable.',
  'Tagging requests by feature shows what {topic} costs in each part of the app.',
  'Users tend to notice slow first tokens more than slow completions.',
];
const CLOSERS = [
  'Let me know if you want me to go deeper on any of these points.',
  'I hope that helps.',
  'Want me to draft a first version?',
  'Tell me more about your setup and I can be more specific.',
  'That should be enough to get started.',
];
/** Words too common to name a topic or pick a tool. */
export const STOP_WORDS = new Set(
  'about above after again also because before being could does doing from have having into just more most other please should some such than that their them then there these they this those very what when where which while with would your you the and for are but can how not our out was why'.split(
    ' ',
  ),
);

/** The question's topic: its longest word of 4+ letters that is not a stop word (lower-cased), if any. */
export function topicOf(question: string): string | undefined {
  const words = question.toLowerCase().match(/[\p{L}][\p{L}\p{N}-]{3,}/gu) ?? [];
  return words.filter((w) => !STOP_WORDS.has(w)).sort((a, b) => b.length - a.length)[0];
}

/** Marks where the natural answer ends; words after it only serve `[mock:tokens:n]`. */
export const PROSE_END = Symbol('prose-end');

/**
 * Endless prose words, each with its leading whitespace (` word`, or `\n\nword` opening a
 * paragraph of 3–4 sentences): an opener and at least one sentence, more sentences while they fit in
 * `budget` words, a closer if it fits, then {@link PROSE_END}, then more sentences for whoever asks
 * for more words (`[mock:tokens:<n>]`). No sentence twice until every one was used.
 */
export function* proseWords(
  random: Random,
  question: string,
  budget: number,
): Generator<string | typeof PROSE_END> {
  const topic = topicOf(question);
  // Without a topic, only the sentences that need none.
  const usable = (list: readonly string[]) => (topic ? list : list.filter((t) => !t.includes('{topic}')));
  const used = new Set<string>();
  const fresh = (list: readonly string[]) => {
    const left = usable(list).filter((t) => !used.has(t));
    const sentence = pick(random, left.length ? left : usable(list));
    used.add(sentence);
    return sentence.replaceAll('{topic}', topic ?? '').split(' ');
  };
  let count = 0;
  let inParagraph = 0;
  let paragraphLength = 0;
  let ended = false;
  function* say(words: readonly string[]): Generator<string> {
    const opens = inParagraph >= paragraphLength;
    if (opens) [inParagraph, paragraphLength] = [0, 3 + (random() % 2)];
    inParagraph++;
    for (const [i, word] of words.entries()) yield i === 0 ? `${opens ? '\n\n' : ' '}${word}` : ` ${word}`;
    count += words.length;
  }
  yield* say(fresh(OPENERS));
  yield* say(fresh(SENTENCES));
  for (;;) {
    const next = fresh(SENTENCES);
    if (!ended && count + next.length > budget) {
      const closer = fresh(CLOSERS);
      if (count + closer.length <= budget) yield* say(closer);
      yield PROSE_END;
      ended = true;
    }
    yield* say(next);
  }
}
