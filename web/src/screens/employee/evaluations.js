// "Penilaian & Predikat": each period's evaluation, its two ratings and the predicate the matrix gives.
import { pdfButton } from '../../documents.js';
import { SCROLL_REGION } from '../../ui.js';
import { dialogueLink, followUpsBox } from '../dialogue_parts.js';
const KIND = { monthly: 'Bulanan', quarterly: 'Triwulan', annual: 'Tahunan' };

export default async function render(root, { api, h, ui, user }) {
  root.append(ui.guide('Predikat kinerja mengikuti matriks dua penilaian: hasil kerja dan perilaku kerja. '
    + 'Misalnya hasil kerja dan perilaku sama-sama "Sesuai Ekspektasi" memberi predikat Baik.'));
  let page;
  try {
    page = await api.get('/api/v1/evaluations', { nip: user.nip, limit: 50 });
  } catch (err) {
    root.append(ui.problemBox(err));
    return;
  }
  if (!page.items.length) {
    root.append(ui.empty('Belum ada penilaian. Penilaian dibuka otomatis setiap periode setelah SKP Anda disetujui.'));
    return;
  }
  root.append(h('ul', { class: 'list', 'data-test': 'evaluations' }, page.items.map((e) => {
    const detail = h('div', {});
    return h('li', { 'data-test': 'evaluation', 'data-id': e.id },
      h('div', { class: 'head' }, h('strong', {}, `${KIND[e.period.kind] || e.period.kind} ${ui.formatDate(e.period.start)} – ${ui.formatDate(e.period.end)}`),
        ui.statusBadge(e.status)),
      h('p', {}, 'Predikat: ', h('strong', { 'data-test': 'predicate' }, e.predicate ? ui.predicateLabel(e.predicate) : 'Belum ditetapkan')),
      e.results_rating ? h('p', {}, `Hasil kerja: ${ui.ratingLabel(e.results_rating)} · Perilaku kerja: ${ui.ratingLabel(e.behaviour_rating)}`) : null,
      e.rating_note ? h('p', { class: 'muted' }, `Catatan penilai: ${e.rating_note}`) : null,
      h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', 'aria-expanded': 'false', onClick: async (ev) => {
        const button = ev.currentTarget;
        if (detail.childNodes.length) {
          detail.replaceChildren();
          button.setAttribute('aria-expanded', 'false');
          return;
        }
        button.setAttribute('aria-expanded', 'true');
        detail.replaceChildren(ui.loading());
        try {
          detail.replaceChildren(renderDetail(h, ui, await api.get(`/api/v1/evaluations/${e.id}`)));
        } catch (err) {
          detail.replaceChildren(ui.problemBox(err));
        }
      } }, 'Lihat rincian'), dialogueLink(h, { plan: e.plan_id, evaluation: e.id }),
      e.status === 'closed' ? pdfButton(`/api/v1/evaluations/${e.id}/document.pdf`, `evaluasi-kinerja_${e.period.id}.pdf`) : null,
      e.status === 'closed' && e.period.kind === 'annual' && e.credit_points !== null
        ? pdfButton(`/api/v1/evaluations/credit-points/document.pdf?nip=${e.nip}&year=${e.period.start.slice(0, 4)}`,
          `pak_${e.period.start.slice(0, 4)}.pdf`, 'Unduh PAK (PDF)') : null), detail);
  })));
}

function renderDetail(h, ui, d) {
  const rows = [];
  for (const r of d.results || []) {
    for (const i of r.indicators) {
      rows.push(h('tr', {}, h('td', {}, r.text), h('td', {}, i.text),
        h('td', {}, i.target_value === null ? '-' : `${i.target_value} ${i.target_unit || ''}`),
        h('td', {}, `${i.realised_to_date}`), h('td', {}, i.percent_of_target === null ? '-' : `${Math.round(i.percent_of_target)}%`)));
    }
  }
  const suggestion = d.suggestion || {};
  return h('div', { class: 'card' },
    followUpsBox(h, ui, d.dialogue_follow_ups),
    h('div', SCROLL_REGION, h('table', {}, h('thead', {}, h('tr', {}, ['Hasil kerja', 'Indikator', 'Target', 'Realisasi', '% target'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))),
    d.pending ? h('p', { class: 'muted' }, `Kegiatan periode ini: ${d.pending.activities_accepted} diterima, ${d.pending.activities_pending} menunggu, ${d.pending.activities_rejected} ditolak.`) : null,
    suggestion.rating ? h('div', {}, h('p', {}, `Saran sistem untuk hasil kerja: ${ui.ratingLabel(suggestion.rating)}`),
      h('ul', {}, (suggestion.reasoning || []).map((line) => h('li', {}, line)))) : null);
}
