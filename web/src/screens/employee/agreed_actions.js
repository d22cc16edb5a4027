// The employee's agreed action plans (rencana aksi) for logging: the actions whose month or quarter holds a date.
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const ROMAN = { Q1: 'I', Q2: 'II', Q3: 'III', Q4: 'IV' };

/** '2026-03' -> 'Maret 2026'; '2026-Q2' -> 'Triwulan II 2026'. */
export function periodLabel(period) {
  const [year, part] = String(period).split('-');
  return part && part.startsWith('Q') ? `Triwulan ${ROMAN[part]} ${year}` : `${MONTHS[Number(part) - 1] || part} ${year}`;
}

/** Does the month 'YYYY-MM' or quarter 'YYYY-Qn' hold the date 'YYYY-MM-DD'? */
export function periodContains(period, day) {
  const [year, part] = String(period).split('-');
  if (!day || !part || day.slice(0, 4) !== year) return false;
  const month = Number(day.slice(5, 7));
  return part.startsWith('Q') ? Math.floor((month - 1) / 3) + 1 === Number(part.slice(1)) : month === Number(part);
}

/** The agreed actions of the employee's approved plan of the year (empty when none, or offline). */
export async function loadAgreedActions(api, user, year) {
  try {
    const plans = (await api.get('/api/v1/plans', { nip: user.nip, year, status: 'approved', limit: 5 })).items;
    if (!plans.length) return [];
    return (await api.get(`/api/v1/plans/${plans[0].id}/actions`, { set: 'agreed', limit: 200 })).items;
  } catch {
    return [];
  }
}
