// "Dasbor Unit": the unit head's live view of the unit and its sub-units for a period: approved
// plans, daily logging compliance, realisation against target, evaluations and the predicate
// distribution (an inline-SVG bar chart). It refreshes itself while shown.
import { useStyles, allPages, periodOptions } from '../help/common.js';
import { PREDICATE_ORDER, PREDICATE_TONE } from '../help/rules.js';
import { barChart } from './chart.js';
import { SCROLL_REGION } from '../../ui.js';

export const REFRESH_MS = 10000;

/** The units the signed-in head may pick (their unit and everything below it). */
export async function headedUnits(api, user) {
  if (!user.unit) return [];
  return allPages(api, '/api/v1/units', { root: user.unit }).catch(() => [{ id: user.unit, name: user.unit }]);
}

export async function yearPeriods(api, year) {
  return (await api.get('/api/v1/periods', { year })).periods;
}

function kpi(h, label, value, test, note = null) {
  return h('div', { class: 'kpi', 'data-test': test }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, label),
    note ? h('small', { class: 'muted', style: { display: 'block' } }, note) : null);
}

const pct = (v) => (v === null || v === undefined ? '–' : `${v} %`);

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui, user } = ctx;
  const year = Number(ui.todayIso().slice(0, 4));
  const [units, periods] = await Promise.all([headedUnits(api, user), yearPeriods(api, year).catch(() => [])]);
  const unit = h('select', { 'data-test': 'dashboard-unit' }, units.map((u) => h('option', { value: u.id }, u.name || u.id)));
  const period = h('select', { 'data-test': 'dashboard-period' }, h('option', { value: '' }, 'Periode berjalan'), periodOptions(h, periods, null));
  const stamp = h('small', { class: 'muted', 'aria-live': 'off', 'data-test': 'dashboard-updated' });
  const body = h('div', { 'data-test': 'dashboard' });
  root.append(
    ui.guide('Dasbor ini diperbarui sendiri setiap beberapa detik dari data terbaru: SKP yang disetujui, kepatuhan mencatat kegiatan '
      + 'harian, realisasi terhadap target, dan penilaian beserta sebaran predikatnya.'),
    h('div', { class: 'row' }, ui.field('dashboard-unit', 'Unit kerja', unit), ui.field('dashboard-period', 'Periode', period)),
    h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', 'data-test': 'dashboard-refresh', onClick: () => load() }, 'Perbarui sekarang'),
      stamp),
    body);
  if (!units.length) {
    body.append(ui.empty('Token Anda tidak menyebut unit kerja; dasbor tidak dapat ditampilkan.'));
    return;
  }

  let loads = 0;
  async function load() {
    const seq = ++loads;
    const wanted = unit.value;
    try {
      const [d, completion] = await Promise.all([
        api.get(`/api/v1/unit-performance/${encodeURIComponent(wanted)}/dashboard`, { period_id: period.value }),
        api.get('/api/v1/plans/completion', { unit_id: wanted, year, limit: 10 }).catch(() => null),
      ]);
      if (seq !== loads) return; // a newer load (other unit or period, or a refresh) answers instead
      body.dataset.unit = wanted;
      body.replaceChildren(...view(h, ui, d, completion).filter(Boolean));
      stamp.textContent = `Diperbarui ${new Date().toLocaleTimeString('id-ID', { timeZone: 'Asia/Jakarta' })}`;
    } catch (err) {
      if (seq === loads) body.replaceChildren(ui.problemBox(err));
    }
  }
  unit.addEventListener('change', load);
  period.addEventListener('change', load);
  await load();
  const timer = setInterval(() => {
    if (!document.body.contains(body)) clearInterval(timer);
    else if (!document.hidden) load();
  }, REFRESH_MS);
  ui.listenWhileShown({ 'kinerja:notification': () => load() });
}

function view(h, ui, d, completion) {
  const e = d.evaluations;
  const dist = d.predicates;
  const chart = barChart(PREDICATE_ORDER.map((code) => ({ label: ui.predicateLabel(code), value: dist.counts[code] || 0,
    tone: PREDICATE_TONE[code], note: `${dist.shares[code] || 0} %` })), { title: `Sebaran predikat ${d.period.id}`, unit: ' org',
    test: 'predicate-chart' });
  const r = d.realisation;
  return [
    h('p', {}, h('strong', {}, d.unit_name || d.unit_id), ` · ${d.units} unit · ${d.employees} pegawai · periode ${d.period.id} `
      + `(${ui.formatDate(d.period.start)} – ${ui.formatDate(d.period.end)})`),
    h('div', { class: 'kpis' },
      kpi(h, 'pegawai dengan SKP disetujui', pct(d.plans.share), 'kpi-plans', `${d.plans.approved} dari ${d.plans.employees}`),
      kpi(h, 'kepatuhan catat kegiatan harian', pct(d.activity_compliance.share), 'kpi-compliance',
        `${d.activity_compliance.days_logged} hari tercatat dari ${d.activity_compliance.working_days} hari kerja × ${d.activity_compliance.employees_with_plan} pegawai`),
      kpi(h, 'rata-rata realisasi terhadap harapan', pct(r.average_percent_of_expected), 'kpi-realisation',
        `${pct(r.average_percent_of_target)} dari target tahunan · ${r.pending_verification ?? 0} kegiatan menunggu verifikasi`),
      kpi(h, 'penilaian ditutup', `${e.closed}/${e.total}`, 'kpi-closed', `${e.open} terbuka, ${e.submitted} diajukan`),
      d.dialogues ? kpi(h, 'pegawai sudah dialog kinerja', pct(d.dialogues.share), 'kpi-dialogues',
        `${d.dialogues.held} dari ${d.dialogues.employees} dikonfirmasi kedua pihak; ${d.dialogues.awaiting_confirmation} menunggu konfirmasi`) : null),
    h('h2', {}, 'Sebaran predikat pegawai'),
    dist.total ? chart : ui.empty('Belum ada penilaian yang diajukan atau ditutup pada periode ini.'),
    h('p', { 'data-test': 'distribution-status', class: dist.organisational_predicate ? (dist.ok ? 'verdict ok' : 'verdict bad') : 'muted' },
      dist.organisational_predicate
        ? (dist.ok ? `Sesuai aturan distribusi predikat organisasi ${ui.predicateLabel(dist.organisational_predicate)}.`
          : `${dist.violations.length} aturan distribusi dilanggar. Lihat layar Kalibrasi.`)
        : `Predikat organisasi unit untuk periode ini belum ditetapkan. ${(dist.predicate_authority || {}).rule === 'ppk_admin'
          ? 'Unit ini OPD: PPK menetapkannya melalui admin BKPSDM'
          : `Kepala unit induknya (${(dist.predicate_authority || {}).parent_unit_id || '-'}) atau Plt./Plh.-nya menetapkannya`} di layar Kalibrasi.`),
    dist.rounding_policy ? h('p', { class: 'muted', 'data-test': 'dashboard-rounding', 'data-policy': dist.rounding_policy },
      `Batas aturan dihitung dalam orang utuh (pembulatan ${dist.rounding_policy === 'nearest' ? 'ke orang terdekat' : 'harfiah: "paling banyak" ke bawah, "paling sedikit" ke atas'}).`) : null,
    h('h2', {}, 'Realisasi per hasil kerja'),
    h('p', {}, `${r.results} hasil kerja: ${r.by_assessment.above} di atas, ${r.by_assessment.meets} sesuai, ${r.by_assessment.below} di bawah ekspektasi, `
      + `${r.by_assessment.no_data ?? 0} belum ada data, ${r.by_assessment.unassessed} tanpa target angka.`),
    r.furthest_behind.length ? h('details', {}, h('summary', {}, 'Hasil kerja yang paling tertinggal'),
      h('div', SCROLL_REGION, h('table', {}, h('thead', {}, h('tr', {}, ['NIP', 'Hasil kerja', '% harapan', '% target'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, r.furthest_behind.slice(0, 10).map((x) => h('tr', {}, h('td', {}, x.nip), h('td', {}, x.text),
          h('td', {}, pct(x.percent_of_expected)), h('td', {}, pct(x.percent_of_target)))))))) : null,
    completion ? h('section', {}, h('h2', {}, `SKP ${completion.year}: tenggat ${ui.formatDate(completion.deadline)}`),
      h('p', { 'data-test': 'completion' }, `${completion.approved} dari ${completion.employees} pegawai sudah disetujui`
        + `${completion.approved_late ? ` (${completion.approved_late} terlambat)` : ''}; ${completion.missing} belum.`
        + (completion.overdue && completion.missing ? ' Tenggat sudah lewat.' : '')),
      completion.items.length ? h('ul', {}, completion.items.map((m) => h('li', {}, `${m.name || m.nip}: `,
        m.plan_status ? ui.statusBadge(m.plan_status) : 'belum membuat SKP'))) : null) : null,
  ];
}
