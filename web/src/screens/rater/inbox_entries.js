// The rater's waiting activity entries, for a phone: grouped by employee (collapsed, with counts),
// accept or reject each entry (a reason required to reject), accept a whole group at once, filter by
// date and indicator. Entries with unusual values (unusual.js) are flagged, and a group's bulk accept
// leaves them out unless the rater ticks "include the flagged ones".
import { allPages, personName, bulkOutcome } from '../help/common.js';
import { quantityHistory, flagsOf, weekendsBetween } from './unusual.js';

const HISTORY_DAYS = 60;

function isoDaysBefore(iso, days) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** What the flags need besides the waiting entries: each employee's recent entries and indicators, and the calendar. */
async function context(api, entries, today) {
  const nips = [...new Set(entries.map((a) => a.nip))];
  const since = isoDaysBefore(today, HISTORY_DAYS);
  const dates = entries.map((a) => a.date).sort();
  const [histories, indicatorLists, calendar] = await Promise.all([
    Promise.allSettled(nips.map((nip) => api.get('/api/v1/activities', { nip, date_from: since, limit: 200 }))),
    Promise.allSettled(nips.map((nip) => api.get('/api/v1/indicators', { nip }))),
    api.get('/api/v1/summaries/calendar', { date_from: dates[0], date_to: dates[dates.length - 1] }).catch(() => null),
  ]);
  const recent = histories.flatMap((r) => (r.status === 'fulfilled' ? r.value.items : []));
  const indicators = new Map();
  for (const r of indicatorLists) {
    if (r.status === 'fulfilled') for (const i of r.value.items) indicators.set(i.indicator_id, i.text);
  }
  const daysOff = calendar ? new Map(calendar.days_off.map((d) => [d.date, d.holiday])) : weekendsBetween(dates);
  return { history: quantityHistory([...entries, ...recent]), indicators, daysOff };
}

export async function renderEntries(box, ctx, people) {
  const { api, h, ui, user } = ctx;
  box.replaceChildren(h('h2', { id: 'inbox-entries' }, 'Kegiatan menunggu verifikasi'), ui.loading());
  let entries;
  let known;
  try {
    entries = (await allPages(api, '/api/v1/activities', { status: 'pending' }))
      .filter((a) => a.nip !== user.nip && (a.rater_nip === user.nip || people.has(a.nip)));
    known = entries.length ? await context(api, entries, ui.todayIso()) : null;
  } catch (err) {
    box.append(ui.problemBox(err));
    return;
  }
  const heading = h('h2', { id: 'inbox-entries' });
  const outcome = h('div', { 'aria-live': 'polite', 'data-test': 'inbox-outcome' });
  if (!entries.length) {
    box.replaceChildren(heading, ui.empty('Tidak ada kegiatan yang menunggu verifikasi.'), outcome);
    heading.textContent = 'Kegiatan menunggu verifikasi (0)';
    return;
  }
  for (const a of entries) a.flags = flagsOf(a, known.history, known.daysOff);
  const indicatorName = (id) => known.indicators.get(id) || id;
  const open = new Set();
  const includeFlagged = new Set();

  const dateFilter = h('input', { type: 'date', 'data-test': 'filter-date' });
  const indicatorFilter = h('select', { 'data-test': 'filter-indicator' }, h('option', { value: '' }, 'Semua indikator'),
    [...new Set(entries.map((a) => a.indicator_id))].map((id) => h('option', { value: id }, indicatorName(id))));
  const groupsBox = h('div', { 'data-test': 'inbox-entries' });

  async function verify(items, button) {
    if (button) button.disabled = true;
    try {
      const answer = await api.post('/api/v1/activities/verify', { items });
      const done = new Set(answer.results.filter((r) => r.status === 200).map((r) => r.id));
      entries = entries.filter((a) => !done.has(a.id));
      return answer;
    } finally {
      if (button) button.disabled = false;
    }
  }

  const item = (a) => ({ id: a.id, version: a.version });

  function entryCard(a) {
    const slot = h('div', { 'aria-live': 'polite' });
    const reason = h('textarea', { rows: 2, 'data-test': 'reject-reason', placeholder: 'mis. bukti dukung tidak sesuai' });
    const rejectBox = h('div', { class: 'reject-box', hidden: true },
      ui.field(`reason-${a.id}`, 'Alasan penolakan', reason, 'Wajib: pegawai membaca alasan ini untuk memperbaiki catatannya.'),
      h('button', { class: 'btn btn-danger', type: 'button', 'data-test': 'confirm-reject', onClick: async (e) => {
        if (!reason.value.trim()) {
          slot.replaceChildren(ui.problemBox({ status: 422, problem: { errors: [{ field: 'reason', message: 'wajib diisi saat menolak kegiatan' }] } }));
          reason.focus();
          return;
        }
        try {
          const answer = await verify([{ ...item(a), decision: 'rejected', reason: reason.value.trim() }], e.currentTarget);
          report(answer, 'kegiatan ditolak');
        } catch (err) {
          slot.replaceChildren(ui.problemBox(err));
        }
      } }, 'Tolak kegiatan'));
    const evidence = (a.evidence || []).length
      ? h('div', { class: 'muted' }, 'Bukti: ', a.evidence.map((ev, i) => [i ? ', ' : '',
        ev.url ? h('a', { href: ev.url, target: '_blank', rel: 'noopener' }, `tautan ${i + 1}`)
          : h('span', {}, `berkas ${ev.name || i + 1}`)]))
      : h('div', { class: 'muted' }, 'Tanpa bukti dukung');
    return h('li', { class: ['inbox-entry', a.flags.length && 'flagged'], 'data-test': 'inbox-entry', 'data-id': a.id, 'data-nip': a.nip,
      'data-flagged': a.flags.length ? 'true' : 'false' },
    h('div', { class: 'head' }, h('strong', {}, `${ui.formatDate(a.date)} · ${a.start_time}–${a.end_time}`),
      h('span', {}, `${a.quantity ?? '—'} ${a.quantity_unit || ''}`)),
    a.flags.length ? h('ul', { class: 'flags', 'data-test': 'flags', 'aria-label': 'Tanda tidak biasa' },
      a.flags.map((f) => h('li', { class: 'badge badge-warn', 'data-flag': f.code }, f.text))) : null,
    h('p', { class: 'entry-text' }, a.description),
    h('div', { class: 'muted' }, `${indicatorName(a.indicator_id)} · ${a.minutes} menit`),
    evidence,
    h('div', { class: 'entry-actions' },
      h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'accept-entry', onClick: async (e) => {
        try {
          report(await verify([{ ...item(a), decision: 'accepted' }], e.currentTarget), 'kegiatan diterima');
        } catch (err) {
          slot.replaceChildren(ui.problemBox(err));
        }
      } }, 'Terima'),
      h('button', { class: 'btn btn-danger', type: 'button', 'data-test': 'reject-entry', 'aria-expanded': 'false', onClick: (e) => {
        rejectBox.hidden = !rejectBox.hidden;
        e.currentTarget.setAttribute('aria-expanded', String(!rejectBox.hidden));
        if (!rejectBox.hidden) reason.focus();
      } }, 'Tolak…')),
    rejectBox, slot);
  }

  function visible() {
    return entries.filter((a) => (!dateFilter.value || a.date === dateFilter.value)
      && (!indicatorFilter.value || a.indicator_id === indicatorFilter.value));
  }

  function groupBox(nip, list) {
    const flagged = list.filter((a) => a.flags.length);
    const plain = list.filter((a) => !a.flags.length);
    const include = h('input', { type: 'checkbox', id: `include-${nip}`, 'data-test': 'include-flagged', checked: includeFlagged.has(nip),
      onChange: (e) => { if (e.currentTarget.checked) includeFlagged.add(nip); else includeFlagged.delete(nip); draw(); } });
    const taking = includeFlagged.has(nip) ? list : plain;
    const bulk = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'accept-group', disabled: !taking.length,
      onClick: async (e) => {
        try {
          const answer = await verify(taking.map((a) => ({ ...item(a), decision: 'accepted' })), e.currentTarget);
          const held = includeFlagged.has(nip) ? 0 : flagged.length;
          report(answer, 'kegiatan diterima', held ? `${held} kegiatan bertanda tidak ikut diterima: periksa satu per satu.` : null);
        } catch (err) {
          outcome.replaceChildren(ui.problemBox(err));
        }
      } }, `Terima ${taking.length} kegiatan`);
    const details = h('details', { class: 'inbox-group', 'data-test': 'inbox-group', 'data-nip': nip, open: open.has(nip),
      onToggle: (e) => { if (e.currentTarget.open) open.add(nip); else open.delete(nip); } },
    h('summary', {}, h('span', { class: 'who-name' }, people.has(nip) ? people.get(nip).name : nip,
      h('small', { class: 'muted' }, `NIP ${nip}`)),
      h('span', { class: 'badge badge-info', 'data-test': 'group-count' }, `${list.length} kegiatan`),
      flagged.length ? h('span', { class: 'badge badge-warn', 'data-test': 'group-flagged' }, `${flagged.length} bertanda`) : null),
    h('div', { class: 'group-bar' }, bulk,
      flagged.length ? h('div', { class: 'check-row' }, include,
        h('label', { for: `include-${nip}` }, `Sertakan ${flagged.length} yang bertanda`)) : null),
    h('ul', { class: 'list' }, list.map(entryCard)));
    return details;
  }

  function draw() {
    const shown = visible();
    heading.textContent = `Kegiatan menunggu verifikasi (${entries.length})`;
    const groups = new Map();
    for (const a of shown.sort((x, y) => x.date.localeCompare(y.date) || x.start_time.localeCompare(y.start_time))) {
      if (!groups.has(a.nip)) groups.set(a.nip, []);
      groups.get(a.nip).push(a);
    }
    const order = [...groups.keys()].sort((x, y) => personName(people, x).localeCompare(personName(people, y)));
    groupsBox.replaceChildren(...(order.length ? order.map((nip) => groupBox(nip, groups.get(nip)))
      : [ui.empty(entries.length ? 'Tidak ada kegiatan yang cocok dengan saringan.' : 'Tidak ada kegiatan yang menunggu verifikasi.')]));
  }

  function report(answer, label, note = null) {
    draw();
    const verified = answer.results.filter((r) => r.status === 200).length;
    outcome.replaceChildren(bulkOutcome(h, ui, answer, verified, label),
      note ? h('p', { class: 'verdict bad', 'data-test': 'held-back' }, note) : null);
    ui.toast(`${verified} ${label}.`);
  }

  dateFilter.addEventListener('change', draw);
  indicatorFilter.addEventListener('change', draw);
  draw();
  box.replaceChildren(heading,
    ui.guide('Buka nama pegawai, periksa uraian dan buktinya, lalu Terima atau Tolak (dengan alasan). '
      + 'Kegiatan bertanda (jumlah jauh di atas biasanya, di luar jam kerja, atau pada hari libur) tidak ikut diterima sekaligus kecuali Anda menyertakannya.'),
    h('div', { class: 'filters', role: 'search', 'aria-label': 'Saring kegiatan' },
      ui.field('filter-date', 'Tanggal', dateFilter), ui.field('filter-indicator', 'Indikator', indicatorFilter)),
    outcome, groupsBox);
}
