// Entries a rater should look at one by one before accepting: computed in the browser from what the
// inbox loaded (the waiting entries and each employee's entries of the last weeks) and the
// deployment's calendar (GET /api/v1/summaries/calendar). No new data leaves the services.
//
// - quantity: at least FAR_ABOVE times the employee's usual (the median of their other entries of
//   the same indicator, with at least MIN_HISTORY of them) and at least MIN_GAP more;
// - hours: starting before WORK_START or ending after WORK_END;
// - day off: a weekly day off or a holiday of the calendar (its name shown).
export const FAR_ABOVE = 3;
export const MIN_GAP = 5;
export const MIN_HISTORY = 3;
export const WORK_START = '07:00';
export const WORK_END = '17:00';

export function median(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const key = (a) => `${a.nip}|${a.indicator_id}`;

/** nip|indicator -> [{id, quantity}] of every entry that counts for "usual" (not rejected nor withdrawn). */
export function quantityHistory(entries) {
  const seen = new Set();
  const byKey = new Map();
  for (const a of entries) {
    if (seen.has(a.id) || a.status === 'rejected' || a.status === 'withdrawn' || typeof a.quantity !== 'number') continue;
    seen.add(a.id);
    if (!byKey.has(key(a))) byKey.set(key(a), []);
    byKey.get(key(a)).push({ id: a.id, quantity: a.quantity });
  }
  return byKey;
}

/** The employee's usual quantity for this entry's indicator (its own value left out), or null when too few. */
export function usualFor(entry, history) {
  const others = (history.get(key(entry)) || []).filter((x) => x.id !== entry.id).map((x) => x.quantity);
  return others.length >= MIN_HISTORY ? median(others) : null;
}

const fmt = (n) => new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 }).format(n);

/** The flags of one entry: [{code, text}], in Bahasa Indonesia. `daysOff`: Map date -> holiday name or null. */
export function flagsOf(entry, history, daysOff) {
  const flags = [];
  const usual = usualFor(entry, history);
  if (usual !== null && typeof entry.quantity === 'number' && entry.quantity >= FAR_ABOVE * usual && entry.quantity - usual >= MIN_GAP) {
    flags.push({ code: 'quantity', text: `Jumlah ${fmt(entry.quantity)} jauh di atas biasanya (±${fmt(usual)})` });
  }
  if (entry.start_time < WORK_START || entry.end_time > WORK_END) {
    flags.push({ code: 'hours', text: `Di luar jam kerja (${WORK_START}–${WORK_END})` });
  }
  if (daysOff.has(entry.date)) {
    const name = daysOff.get(entry.date);
    flags.push({ code: 'day-off', text: name ? `Hari libur: ${name}` : 'Akhir pekan / hari libur mingguan' });
  }
  return flags;
}

/** Weekends as days off when the calendar cannot be read (offline or an older service). */
export function weekendsBetween(dates) {
  const off = new Map();
  for (const d of dates) {
    const day = new Date(`${d}T12:00:00+07:00`).getUTCDay();
    if (day === 0 || day === 6) off.set(d, null);
  }
  return off;
}
