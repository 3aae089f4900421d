/** Number formatting for hints and messages: "3,600 s", "1.5 s". Independent of the host's locale. */

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '-∞' : 'NaN';
  if (Number.isSafeInteger(n)) return groupThousands(n);
  const negative = n < 0;
  const [whole, frac] = Math.abs(n).toFixed(3).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fracText = frac.replace(/0+$/, '');
  return `${negative ? '-' : ''}${grouped}${fracText ? `.${fracText}` : ''}`;
}

function groupThousands(n: number): string {
  const digits = String(Math.abs(n));
  if (digits.length <= 3) return n < 0 ? `-${digits}` : digits;
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

export function formatSeconds(n: number): string {
  return `${formatNumber(n)} s`;
}
