// Reading level of page text: the Flesch–Kincaid grade (US school grade; add 5 for a reading
// age). A small function of our own rather than a package: the formula is three numbers, and
// the syllable count is the usual vowel-group rule (it is within about one syllable a word of
// a dictionary count for everyday English, which is all a threshold of whole grades needs).
//
// Text is split into sentences at . ! ? and at line breaks, so headings, list items, labels
// and buttons count as the short sentences they are read as.

/** Syllables in one word by vowel groups, with a silent final e and -es/-ed dropped. */
export function syllables(word) {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return /\d/.test(word) ? 1 : 0; // a number is read as a word or two
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = w.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 0);
}

/** {grade, words, sentences, syllables, longest}; grade 0 for empty text. */
export function readingGrade(text) {
  const sentences = text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => /[A-Za-z0-9]/.test(s));
  let words = 0;
  let syl = 0;
  let longest = '';
  for (const s of sentences) {
    const ws = s.split(/[\s/–—]+/).filter((w) => /[A-Za-z0-9]/.test(w));
    words += ws.length;
    for (const w of ws) syl += syllables(w);
    if (ws.length > longest.split(/\s+/).length) longest = s;
  }
  if (!words) return { grade: 0, words: 0, sentences: 0, syllables: 0, longest: '' };
  const grade = 0.39 * (words / sentences.length) + 11.8 * (syl / words) - 15.59;
  return { grade: Math.round(grade * 10) / 10, words, sentences: sentences.length, syllables: syl, longest };
}
