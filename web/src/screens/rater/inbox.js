// "Kotak Masuk Penilai": the plans (SKP) submitted to me (with a checkbox each for the bulk approval)
// and my staff's activity entries waiting for verification, grouped by employee (inbox_entries.js).
import { useStyles, allPages, subordinates, personName, bulkOutcome } from '../help/common.js';
import { renderEntries } from './inbox_entries.js';
import { etagOf } from '../../api.js';

export default async function render(root, ctx) {
  useStyles();
  const { h, ui } = ctx;
  const plansBox = h('section', { 'aria-labelledby': 'inbox-plans' });
  const entriesBox = h('section', { 'aria-labelledby': 'inbox-entries' });
  root.append(
    ui.guide('Di sini semua yang menunggu keputusan Anda sebagai pejabat penilai. '
      + 'Kegiatan yang Anda terima dihitung sebagai realisasi SKP pegawai; kegiatan yang ditolak wajib diberi alasan agar pegawai dapat memperbaikinya.'),
    plansBox, entriesBox);
  let people = new Map();
  try {
    people = await subordinates(ctx.api, ctx.user.nip);
  } catch {
    people = new Map();
  }
  await Promise.all([renderPlans(plansBox, ctx, people), renderEntries(entriesBox, ctx, people)]);
}

function selection(list) {
  return [...list.querySelectorAll('input[type="checkbox"][data-id]:checked')].map((c) => c.dataset.id);
}

function selectAll(h, list, id) {
  return h('div', { class: 'check-row' }, h('input', { type: 'checkbox', id, onChange: (e) => {
    for (const box of list.querySelectorAll('input[type="checkbox"][data-id]')) box.checked = e.currentTarget.checked;
  } }), h('label', { for: id }, 'Pilih semua'));
}

async function renderPlans(box, ctx, people) {
  const { api, h, ui, user } = ctx;
  box.replaceChildren(h('h2', { id: 'inbox-plans' }, 'SKP menunggu persetujuan'), ui.loading());
  let plans;
  try {
    plans = await allPages(api, '/api/v1/plans', { rater_nip: user.nip, status: 'submitted' });
  } catch (err) {
    box.append(ui.problemBox(err));
    return;
  }
  const outcome = h('div', { 'aria-live': 'polite' });
  const heading = h('h2', { id: 'inbox-plans' }, `SKP menunggu persetujuan (${plans.length})`);
  if (!plans.length) {
    box.replaceChildren(heading, ui.empty('Tidak ada SKP yang menunggu persetujuan.'), outcome);
    return;
  }
  const list = h('ul', { class: 'list', 'data-test': 'inbox-plans' }, plans.map((p) => {
    const id = `plan-${p.id}`;
    const mains = p.results.filter((r) => r.kind === 'main').length;
    return h('li', { 'data-test': 'inbox-plan', 'data-id': p.id },
      h('div', { class: 'check-row' }, h('input', { type: 'checkbox', id, 'data-id': p.id, 'data-version': p.version }),
        h('label', { for: id }, h('strong', {}, personName(people, p.nip)),
          h('div', { class: 'muted' }, `SKP ${p.year} · ${p.results.length} hasil kerja (${mains} utama) · diajukan ${ui.formatDateTime(p.submitted_at)}`))),
      h('details', {}, h('summary', {}, 'Lihat hasil kerja'), h('ul', {}, p.results.map((r) => h('li', {},
        `${r.kind === 'main' ? 'Utama' : 'Tambahan'}: ${r.text}`,
        h('ul', {}, (r.indicators || []).map((i) => h('li', { class: 'muted' },
          `${i.text}${i.target_value !== null && i.target_value !== undefined ? ` — target ${i.target_value} ${i.target_unit || ''}` : ''}`))))))),
      returnForm(ctx, p, () => renderPlans(box, ctx, people)));
  }));
  const approve = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'approve-plans', onClick: async () => {
    const ids = selection(list);
    if (!ids.length) {
      outcome.replaceChildren(ui.problemBox({ status: 422, problem: { detail: 'Pilih dulu SKP yang akan disetujui.' } }));
      return;
    }
    approve.disabled = true;
    try {
      const versions = Object.fromEntries([...list.querySelectorAll('input[data-id]')].map((c) => [c.dataset.id, Number(c.dataset.version)]));
      const answer = await api.post('/api/v1/plans/approve', { items: ids.map((id) => ({ id, version: versions[id] })) });
      ui.toast(`${answer.approved} SKP disetujui.`);
      await renderPlans(box, ctx, people);
      box.append(bulkOutcome(h, ui, answer, answer.approved, 'SKP disetujui'));
    } catch (err) {
      outcome.replaceChildren(ui.problemBox(err));
      approve.disabled = false;
    }
  } }, 'Setujui yang dipilih');
  box.replaceChildren(heading,
    ui.guide('Setujui SKP bila setiap hasil kerja utama mendukung hasil kerja Anda (intervensi) dan targetnya terukur. '
      + 'Jika perlu diperbaiki, kembalikan dengan alasan yang jelas.'),
    selectAll(h, list, 'plans-all'), list, h('div', { class: 'bulkbar' }, approve), outcome);
}

function returnForm(ctx, plan, reload) {
  const { api, h, ui } = ctx;
  const reason = h('textarea', { rows: 2, 'data-test': 'return-reason' });
  const out = h('div', {});
  return h('details', {}, h('summary', {}, 'Kembalikan untuk diperbaiki'),
    ui.field(`return-${plan.id}`, 'Alasan pengembalian', reason, 'Wajib: tuliskan apa yang perlu diperbaiki pegawai.'),
    h('button', { class: 'btn btn-danger', type: 'button', 'data-test': 'return-plan', onClick: async (e) => {
      if (!reason.value.trim()) {
        out.replaceChildren(ui.problemBox({ status: 422, problem: { errors: [{ field: 'reason', message: 'wajib diisi' }] } }));
        return;
      }
      e.currentTarget.disabled = true;
      try {
        await api.post(`/api/v1/plans/${plan.id}/return`, { reason: reason.value.trim() }, { etag: etagOf(plan) });
        ui.toast('SKP dikembalikan kepada pegawai.');
        reload();
      } catch (err) {
        out.replaceChildren(ui.problemBox(err));
        e.currentTarget.disabled = false;
      }
    } }, 'Kembalikan'), out);
}
