// "Periode Penilaian": the year's scheme (monthly or quarterly, fixed once evaluations open), its
// periods with the evaluations open/submitted/closed in each, and opening a period now.
import { useStyles } from '../help/common.js';
import { SCROLL_REGION } from '../../ui.js';

const SCHEMES = { monthly: 'Bulanan', quarterly: 'Triwulan' };
const KINDS = { monthly: 'Bulanan', quarterly: 'Triwulan', annual: 'Tahunan' };

export default async function render(root, ctx) {
  useStyles();
  const { api, h, ui } = ctx;
  const thisYear = Number(ui.todayIso().slice(0, 4));
  const year = h('select', { 'data-test': 'periods-year' }, [thisYear - 1, thisYear, thisYear + 1].map((y) =>
    h('option', { value: y, selected: y === thisYear }, String(y))));
  const body = h('div', {});
  root.append(
    ui.guide('Penilaian periodik dibuka otomatis di awal setiap periode untuk semua SKP yang disetujui. Pola periode (bulanan atau '
      + 'triwulan) dapat diubah sampai penilaian pertama tahun itu dibuka. Buka penilaian tahunan di sini pada akhir tahun.'),
    ui.field('periods-year', 'Tahun', year), body);
  year.addEventListener('change', () => load());

  async function load() {
    body.replaceChildren(ui.loading());
    let data;
    try {
      data = await api.get('/api/v1/periods', { year: year.value });
    } catch (err) {
      body.replaceChildren(ui.problemBox(err));
      return;
    }
    const scheme = h('select', { disabled: data.scheme_fixed, 'data-test': 'period-scheme' },
      Object.entries(SCHEMES).map(([v, n]) => h('option', { value: v, selected: data.scheme === v }, n)));
    const schemeOut = h('div', {});
    const unit = h('input', { type: 'text', placeholder: 'kosongkan untuk semua unit', 'data-test': 'open-unit' });
    const openOut = h('div', { 'aria-live': 'polite' });
    body.replaceChildren(
      h('div', { class: 'card' }, ui.field('period-scheme', 'Pola periode', scheme,
        data.scheme_fixed ? 'Sudah tetap: penilaian tahun ini sudah dibuka dengan pola ini.' : 'Belum tetap: masih dapat diubah.'),
      data.scheme_fixed ? null : h('button', { class: 'btn', type: 'button', 'data-test': 'save-scheme', onClick: async () => {
        try {
          await api.put(`/api/v1/periods/schemes/${year.value}`, { scheme: scheme.value });
          ui.toast('Pola periode disimpan.');
          load();
        } catch (err) {
          schemeOut.replaceChildren(ui.problemBox(err));
        }
      } }, 'Simpan pola'), schemeOut),
      h('div', { class: 'card' }, ui.field('open-unit', 'Hanya unit (opsional, beserta sub-unitnya)', unit), openOut),
      h('div', SCROLL_REGION, h('table', { 'data-test': 'periods' },
        h('thead', {}, h('tr', {}, ['Periode', 'Jenis', 'Rentang', 'Terbuka', 'Diajukan', 'Ditutup', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, data.periods.map((p) => h('tr', { 'data-period': p.id },
          h('td', {}, p.id), h('td', {}, KINDS[p.kind] || p.kind), h('td', {}, `${ui.formatDate(p.start)} – ${ui.formatDate(p.end)}`),
          h('td', {}, String(p.open)), h('td', {}, String(p.submitted)), h('td', {}, String(p.closed)),
          h('td', {}, h('button', { class: 'btn', type: 'button', 'data-test': `open-${p.id}`, onClick: async (e) => {
            e.currentTarget.disabled = true;
            try {
              const answer = await api.post(`/api/v1/periods/${p.id}/open`, { unit_id: unit.value.trim() || null });
              openOut.replaceChildren(h('p', { class: 'verdict ok' }, `${p.id}: ${answer.opened} penilaian baru dibuka.`));
              load();
            } catch (err) {
              openOut.replaceChildren(ui.problemBox(err));
            }
          } }, 'Buka sekarang'))))))));
  }
  await load();
}
