// "Kalibrasi Predikat": the organisational predicate of the unit for a period is set from above (the
// head or acting head of the parent unit; for an OPD an admin for the PPK; never the unit's own head):
// the screen says who may set it and why the caller cannot, and takes its basis. The head sees the
// SE 03/2023 rules it brings with their numbers (in people, by the deployment's rounding policy) and
// every violation, the people behind the figures, why finalising is blocked, and finalises (an admin
// may override with a reason).
import { pdfButton } from '../../documents.js';
import { useStyles, allPages, periodOptions } from '../help/common.js';
import { ORG_PREDICATES, PREDICATE_ORDER, PREDICATE_TONE, distributionRules, distributionTable, roundingText, ruleFix, ruleNumbers,
  ruleText } from '../help/rules.js';
import { barChart } from './chart.js';
import { headedUnits, yearPeriods } from './dashboard.js';
import { SCROLL_REGION } from '../../ui.js';

/** Why finalising is refused now, from the distribution (the service checks the same on POST). */
export function blockers(dist) {
  const out = [];
  if (dist.calibration && !dist.calibration.stale) return out;
  if (!dist.organisational_predicate) out.push({ code: 'no_predicate', text: 'Predikat organisasi unit untuk periode ini belum ditetapkan.' });
  if (!dist.total && !dist.pending) out.push({ code: 'empty', text: 'Belum ada penilaian pegawai pada periode ini.' });
  if (dist.pending) out.push({ code: 'pending', text: `${dist.pending} penilaian masih terbuka (belum diajukan pejabat penilai).` });
  for (const v of dist.violations) out.push({ code: v.code, text: `Aturan "${ruleText(v)}" dilanggar: ${ruleNumbers(v)}. ${ruleFix(v)}` });
  return out;
}

const HEAD_KINDS = { head: 'kepala', plt: 'Plt.', plh: 'Plh.' };

/** Who sets the unit's organisational predicate (the service's predicate_authority), in Bahasa Indonesia. */
export function authorityText(authority) {
  if (!authority) return '';
  if (authority.rule === 'ppk_admin') {
    return 'Unit ini unit tertinggi (OPD): predikat organisasinya ditetapkan oleh PPK (Wali Kota) melalui admin BKPSDM, '
      + 'bukan oleh kepala unit ini sendiri.';
  }
  const holders = (authority.set_by || []).map((x) => `${x.nip} (${HEAD_KINDS[x.kind] || x.kind})`);
  return `Predikat organisasi unit ini ditetapkan oleh kepala unit induknya, ${authority.parent_unit_id}, atau Plt./Plh. kepalanya`
    + `${holders.length ? `: ${holders.join(', ')}` : ' (saat ini belum tercatat di direktori)'}. Kepala unit ini sendiri tidak `
    + 'menetapkannya, karena predikat itu menjadi penilaian hasil kerjanya.';
}

const BLOCKED_TITLES = { no_predicate: 'Predikat organisasi belum ditetapkan', empty: 'Belum ada yang dapat dikalibrasi',
  pending: 'Masih ada penilaian terbuka', violated: 'Aturan distribusi dilanggar', finalised: 'Kalibrasi sudah final' };

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui, user } = ctx;
  const isAdmin = user.roles.includes('admin');
  const year = Number(ui.todayIso().slice(0, 4));
  const [units, periods] = await Promise.all([
    isAdmin ? allPages(api, '/api/v1/units').catch(() => []) : headedUnits(api, user),
    yearPeriods(api, year).catch(() => []),
  ]);
  const current = periods.find((p) => p.start <= ui.todayIso() && ui.todayIso() <= p.end && p.kind !== 'annual');
  const unit = h('select', { 'data-test': 'calibration-unit' }, units.map((u) => h('option', { value: u.id }, u.name || u.id)));
  const period = h('select', { 'data-test': 'calibration-period' }, periodOptions(h, periods, current ? current.id : null));
  const body = h('div', { 'data-test': 'calibration' });
  root.append(
    ui.guide('Kalibrasi memastikan sebaran predikat pegawai sesuai predikat organisasi unit (SE MenPANRB 03/2023). Tetapkan predikat '
      + 'organisasi, periksa aturan di bawah, lalu finalkan. Selama ada aturan yang dilanggar atau penilaian yang masih terbuka, '
      + 'kalibrasi tidak dapat difinalkan.'),
    h('div', { class: 'row' }, ui.field('calibration-unit', 'Unit kerja', unit), ui.field('calibration-period', 'Periode', period)),
    body);
  if (!units.length || !periods.length) {
    body.append(ui.empty('Tidak ada unit atau periode yang dapat dikalibrasi.'));
    return;
  }
  unit.addEventListener('change', () => load());
  period.addEventListener('change', () => load());

  let loads = 0;
  async function load() {
    const seq = ++loads;
    body.replaceChildren(ui.loading());
    body.removeAttribute('data-unit');
    const base = `/api/v1/unit-performance/${encodeURIComponent(unit.value)}`;
    let dist;
    let people = [];
    let served = null;
    try {
      [dist, people, served] = await Promise.all([
        api.get(`${base}/distribution`, { period_id: period.value }),
        allPages(api, '/api/v1/evaluations', { unit_id: unit.value, period_id: period.value }).catch(() => []),
        distributionRules(api).catch(() => null),
      ]);
    } catch (err) {
      if (seq === loads) body.replaceChildren(ui.problemBox(err));
      return;
    }
    if (seq !== loads) return; // the unit or period changed meanwhile
    const final = dist.calibration && !dist.calibration.stale;
    const authority = dist.predicate_authority || { may_set: isAdmin };
    const locked = final || !authority.may_set;
    const org = h('select', { 'data-test': 'org-predicate', disabled: locked },
      h('option', { value: '' }, 'Belum ditetapkan'),
      ORG_PREDICATES.map((code) => h('option', { value: code, selected: dist.organisational_predicate === code }, ui.predicateLabel(code))));
    const basis = h('textarea', { rows: 2, maxlength: 2000, disabled: locked, 'data-test': 'org-basis' });
    const documentNumber = h('input', { type: 'text', maxlength: 200, disabled: locked, 'data-test': 'org-document' });
    const orgOut = h('div', {});
    const setOrg = h('button', { class: 'btn', type: 'button', 'data-test': 'set-org-predicate', disabled: locked, onClick: async () => {
      if (!org.value || !basis.value.trim()) {
        orgOut.replaceChildren(ui.problemBox({ status: 422, problem: { errors: [
          !org.value ? { field: 'predicate', message: 'pilih predikat organisasi' } : { field: 'basis', message: 'tuliskan dasar penetapannya' }] } }));
        return;
      }
      setOrg.disabled = true;
      try {
        await api.put(`${base}/predicates/${period.value}`, { predicate: org.value, basis: basis.value.trim(),
          document_number: documentNumber.value.trim() || null });
        ui.toast(`Predikat organisasi: ${ui.predicateLabel(org.value)}.`);
        await load();
      } catch (err) {
        orgOut.replaceChildren(ui.problemBox(err));
        setOrg.disabled = false;
      }
    } }, 'Tetapkan predikat organisasi');

    const blocked = blockers(dist);
    const rules = dist.rules.length ? h('div', SCROLL_REGION, h('table', { 'data-test': 'rules' },
      h('caption', {}, `Aturan predikat organisasi ${ui.predicateLabel(dist.organisational_predicate)}`),
      h('thead', {}, h('tr', {}, ['Aturan', 'Keadaan unit', 'Hasil'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, dist.rules.map((r) => h('tr', { 'data-test': 'rule', 'data-code': r.code, 'data-ok': String(r.ok) },
        h('td', {}, ruleText(r)), h('td', {}, ruleNumbers(r)),
        h('td', { class: r.ok ? 'rule-ok' : 'rule-bad' }, r.ok ? '✓ terpenuhi' : `✗ dilanggar. ${ruleFix(r)}`)))))) : null;

    const override = h('textarea', { rows: 2, 'data-test': 'override-reason' });
    const finaliseOut = h('div', { 'aria-live': 'polite' });
    const finalise = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'finalise', disabled: final, onClick: async () => {
      finalise.disabled = true;
      try {
        await api.post(`${base}/calibrations/${period.value}`, { override_reason: isAdmin && override.value.trim() ? override.value.trim() : null });
        ui.toast('Kalibrasi difinalkan.');
        await load();
      } catch (err) {
        const p = err.problem || {};
        const title = BLOCKED_TITLES[p.current_status];
        finaliseOut.replaceChildren(h('div', { class: 'verdict bad', role: 'alert', 'data-test': 'finalise-refused' },
          title ? `Kalibrasi tidak dapat difinalkan: ${title}.` : ui.problemTitle(err),
          (p.violations || []).length ? h('ul', {}, p.violations.map((v) => h('li', {}, `${ruleText(v)}: ${ruleNumbers(v)}. ${ruleFix(v)}`)))
            : (title ? null : ui.problemBox(err))));
        finalise.disabled = false;
      }
    } }, dist.calibration && dist.calibration.stale ? 'Finalkan ulang' : 'Finalkan kalibrasi');

    const names = new Map();
    const nips = [...new Set(people.map((e) => e.nip))];
    await Promise.all(nips.slice(0, 60).map(async (nip) => {
      try {
        names.set(nip, (await api.get(`/api/v1/employees/${nip}`)).name);
      } catch {
        /* the NIP is shown instead */
      }
    }));
    if (seq !== loads) return;
    body.dataset.unit = unit.value;
    body.dataset.period = period.value;
    const verdict = final
      ? h('p', { class: 'verdict ok', 'data-test': 'calibration-final' },
        `Kalibrasi final sejak ${ui.formatDateTime(dist.calibration.finalised_at)} oleh ${dist.calibration.finalised_by}`
        + `${dist.calibration.override_reason ? ` (dengan pengecualian admin: ${dist.calibration.override_reason})` : ''}.`)
      : blocked.length
        ? h('div', { class: 'verdict bad', 'data-test': 'blocked' }, 'Kalibrasi belum dapat difinalkan karena:',
          h('ul', {}, blocked.map((b) => h('li', { 'data-code': b.code }, b.text))))
        : h('p', { class: 'verdict ok', 'data-test': 'ready' }, 'Semua aturan terpenuhi: kalibrasi siap difinalkan (bagian 4).');
    body.replaceChildren(verdict,
      h('section', { class: 'card' }, h('h2', {}, '1. Predikat organisasi unit'),
        ui.guide('Predikat organisasi (hasil evaluasi kinerja unit) menentukan aturan sebaran predikat pegawainya.'),
        h('p', { 'data-test': 'predicate-authority', 'data-rule': authority.rule || '', 'data-may-set': String(Boolean(authority.may_set)) },
          authorityText(authority)),
        !authority.may_set && authority.reason
          ? h('p', { class: 'verdict bad', 'data-test': 'predicate-authority-refused' }, `Anda tidak dapat menetapkannya: ${authority.reason}`)
          : null,
        ui.field('org-predicate', 'Predikat organisasi', org),
        ui.field('org-basis', 'Dasar penetapan (wajib)', basis),
        ui.field('org-document', 'Nomor dokumen keputusan (bila ada)', documentNumber), setOrg, orgOut,
        dist.organisational_predicate ? pdfButton(`${base}/predicates/${period.value}/document.pdf`,
          `penetapan-predikat_${unit.value}_${period.value}.pdf`, 'Unduh PDF penetapan predikat') : null),
      h('section', { class: 'card' }, h('h2', {}, '2. Sebaran predikat dan aturannya'),
        h('p', {}, `${dist.total} pegawai sudah berpredikat, ${dist.pending} penilaian masih terbuka.`),
        dist.total ? barChart(PREDICATE_ORDER.map((code) => ({ label: ui.predicateLabel(code), value: dist.counts[code] || 0,
          tone: PREDICATE_TONE[code], note: `${dist.shares[code]} %` })), { title: 'Sebaran predikat', unit: ' org', test: 'calibration-chart' }) : null,
        rules || h('p', { class: 'muted' }, 'Aturan berlaku setelah predikat organisasi ditetapkan.'),
        h('p', { class: 'muted', 'data-test': 'rounding-policy', 'data-policy': dist.rounding_policy || 'literal' },
          h('strong', {}, `Pembulatan yang berlaku (${dist.rounding_policy === 'nearest' ? 'orang terdekat' : 'harfiah'}): `),
          roundingText(dist.rounding_policy)),
        h('details', {}, h('summary', {}, 'Semua aturan distribusi'), distributionTable(dist.organisational_predicate, served))),
      h('section', { class: 'card' }, h('h2', {}, '3. Pegawai pada periode ini'),
        people.length ? h('div', SCROLL_REGION, h('table', { 'data-test': 'calibration-people' },
          h('thead', {}, h('tr', {}, ['Pegawai', 'Status', 'Predikat'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, people.map((e) => h('tr', { 'data-nip': e.nip }, h('td', {}, `${names.get(e.nip) || ''} ${e.nip}`),
            h('td', {}, ui.statusBadge(e.status)), h('td', {}, e.predicate ? ui.predicateLabel(e.predicate) : '-')))))) : ui.empty('Belum ada penilaian.'),
        ui.guide('Kepala unit tidak mengubah predikat pegawai secara langsung: bila aturan dilanggar, bahas dengan pejabat penilai. '
          + 'Penilaian yang sudah ditutup dibuka kembali oleh admin BKPSDM, lalu dinilai ulang oleh pejabat penilainya.')),
      h('section', { class: 'card' }, h('h2', {}, '4. Finalisasi'),
        dist.calibration && dist.calibration.stale ? h('p', { class: 'verdict bad' }, 'Ada predikat yang berubah setelah kalibrasi difinalkan: finalkan ulang.') : null,
        !final && isAdmin ? ui.field('override-reason', 'Alasan pengecualian (khusus admin, bila aturan dilanggar)', override) : null,
        !final ? finalise : null, finaliseOut));
  }
  await load();
}
