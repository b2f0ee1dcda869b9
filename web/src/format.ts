/** "27 Nov 2026, 14:05" in the reader's locale; an unparsable value is shown as given. */
export function formatTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
