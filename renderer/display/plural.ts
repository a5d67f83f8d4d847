/** "1 step", "2 steps", "0 steps"; `many` for words whose plural is not word + s ("1 series", "2 series"). */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
