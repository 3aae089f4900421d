/** Number formatting for hints and messages: "3,600 s", "1.5 s". Independent of the host's locale. */

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '-∞' : 'NaN';
  const negative = n < 0;
  const [whole, frac] = Math.abs(n).toFixed(3).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fracText = frac.replace(/0+$/, '');
  return `${negative ? '-' : ''}${grouped}${fracText ? `.${fracText}` : ''}`;
}

export function formatSeconds(n: number): string {
  return `${formatNumber(n)} s`;
}
