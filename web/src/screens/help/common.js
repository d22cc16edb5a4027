// Small helpers shared by the rater, unit-head, admin and help screens.

/** Loads roles.css once. */
export function useStyles() {
  if (document.getElementById('roles-css')) return;
  const link = document.createElement('link');
  link.id = 'roles-css';
  link.rel = 'stylesheet';
  link.href = new URL('./roles.css', import.meta.url).pathname;
  document.head.append(link);
}

/** The query of the current hash route: #/penilai/penilaian?id=... -> URLSearchParams. */
export function hashParams() {
  return new URLSearchParams(location.hash.split('?')[1] || '');
}

/** Every page of a cursor-paged list (up to `max` items). */
export async function allPages(api, path, query = {}, max = 2000) {
  let items = [];
  let cursor = null;
  do {
    const page = await api.get(path, { ...query, limit: query.limit || 200, cursor });
    items = items.concat(page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

/** NIP -> name of the people a rater rates (from plan-service's directory). */
export async function subordinates(api, raterNip) {
  const people = await allPages(api, '/api/v1/employees', { rater_nip: raterNip, active: true });
  return new Map(people.map((p) => [p.nip, p]));
}

export function personName(people, nip) {
  const p = people.get(nip);
  return p ? `${p.name} (${nip})` : nip;
}

/** The period ids of a year for a select: current first. */
export function periodOptions(h, periods, selected) {
  const kinds = { monthly: 'Bulanan', quarterly: 'Triwulan', annual: 'Tahunan' };
  return periods.map((p) => h('option', { value: p.id, selected: p.id === selected }, `${p.id} (${kinds[p.kind] || p.kind})`));
}

/** A 207 bulk answer: how many succeeded, and a list of the refused ones with their reason. */
export function bulkOutcome(h, ui, answer, okCount, label) {
  const failed = answer.results.filter((r) => r.status !== 200);
  return h('div', { 'data-test': 'bulk-outcome' },
    h('p', { class: failed.length ? 'verdict bad' : 'verdict ok' }, `${okCount} ${label}; ${failed.length} gagal.`),
    failed.length ? h('ul', {}, failed.map((r) => h('li', {}, `${r.id}: ${ui.problemTitle({ status: r.status })} — `
      + `${(r.problem && (r.problem.detail || r.problem.title)) || ''}`))) : null);
}
