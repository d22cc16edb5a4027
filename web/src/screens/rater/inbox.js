// "Kotak Masuk Penilai": the plans (SKP) submitted to me and my staff's activity entries waiting
// for verification, each with a checkbox for the bulk actions.
import { useStyles, allPages, subordinates, personName, bulkOutcome } from '../help/common.js';
import { etagOf } from '../../api.js';

export default async function render(root, ctx) {
  useStyles();
  const { h, ui } = ctx;
  const plansBox = h('section', { 'aria-labelledby': 'inbox-plans' });
  const entriesBox = h('section', { 'aria-labelledby': 'inbox-entries' });
  root.append(
    ui.guide('Di sini semua yang menunggu keputusan Anda sebagai pejabat penilai. Centang beberapa sekaligus lalu pilih tindakan. '
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

async function renderEntries(box, ctx, people) {
  const { api, h, ui, user } = ctx;
  box.replaceChildren(h('h2', { id: 'inbox-entries' }, 'Kegiatan menunggu verifikasi'), ui.loading());
  let entries;
  try {
    entries = (await allPages(api, '/api/v1/activities', { status: 'pending' }))
      .filter((a) => a.nip !== user.nip && (a.rater_nip === user.nip || people.has(a.nip)));
  } catch (err) {
    box.append(ui.problemBox(err));
    return;
  }
  const heading = h('h2', { id: 'inbox-entries' }, `Kegiatan menunggu verifikasi (${entries.length})`);
  const outcome = h('div', { 'aria-live': 'polite' });
  if (!entries.length) {
    box.replaceChildren(heading, ui.empty('Tidak ada kegiatan yang menunggu verifikasi.'), outcome);
    return;
  }
  entries.sort((a, b) => (a.nip === b.nip ? a.date.localeCompare(b.date) : a.nip.localeCompare(b.nip)));
  const list = h('ul', { class: 'list', 'data-test': 'inbox-entries' }, entries.map((a) => {
    const id = `entry-${a.id}`;
    return h('li', { 'data-test': 'inbox-entry', 'data-id': a.id, 'data-nip': a.nip },
      h('div', { class: 'check-row' }, h('input', { type: 'checkbox', id, 'data-id': a.id, 'data-version': a.version }),
        h('label', { for: id }, h('strong', {}, personName(people, a.nip)),
          h('div', {}, `${ui.formatDate(a.date)} ${a.start_time}–${a.end_time} · ${a.description}`),
          h('div', { class: 'muted' }, `${a.quantity ?? '—'} ${a.quantity_unit || ''} · ${a.minutes} menit`))),
      (a.evidence || []).length ? h('div', {}, 'Bukti dukung: ', a.evidence.map((ev, i) => [i ? ', ' : '',
        ev.url ? h('a', { href: ev.url, target: '_blank', rel: 'noopener' }, `tautan ${i + 1}`)
          : h('span', {}, `berkas ${ev.name || i + 1}`)]))
        : h('div', { class: 'muted' }, 'Tanpa bukti dukung'));
  }));
  const reason = h('input', { type: 'text', 'data-test': 'reject-reason', placeholder: 'mis. bukti dukung tidak sesuai' });
  const act = (decision) => async (e) => {
    const ids = selection(list);
    if (!ids.length) {
      outcome.replaceChildren(ui.problemBox({ status: 422, problem: { detail: 'Pilih dulu kegiatan yang akan diverifikasi.' } }));
      return;
    }
    if (decision === 'rejected' && !reason.value.trim()) {
      outcome.replaceChildren(ui.problemBox({ status: 422, problem: { errors: [{ field: 'reason', message: 'wajib diisi saat menolak kegiatan' }] } }));
      reason.focus();
      return;
    }
    e.currentTarget.disabled = true;
    try {
      const versions = Object.fromEntries([...list.querySelectorAll('input[data-id]')].map((c) => [c.dataset.id, Number(c.dataset.version)]));
      const answer = await api.post('/api/v1/activities/verify', { items: ids.map((id) => ({ id, decision, version: versions[id] || null,
        reason: decision === 'rejected' ? reason.value.trim() : null })) });
      ui.toast(`${answer.verified} kegiatan ${decision === 'accepted' ? 'diterima' : 'ditolak'}.`);
      await renderEntries(box, ctx, people);
      box.append(bulkOutcome(h, ui, answer, answer.verified, decision === 'accepted' ? 'kegiatan diterima' : 'kegiatan ditolak'));
    } catch (err) {
      outcome.replaceChildren(ui.problemBox(err));
      e.currentTarget.disabled = false;
    }
  };
  box.replaceChildren(heading,
    ui.guide('Periksa uraian dan bukti dukungnya. Terima bila sesuai; tolak dengan alasan bila tidak. Keputusan tidak dapat diubah.'),
    selectAll(h, list, 'entries-all'), list,
    h('div', { class: 'bulkbar' },
      h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'accept-entries', onClick: act('accepted') }, 'Terima yang dipilih'),
      ui.field('reject-reason', 'Alasan penolakan', reason),
      h('button', { class: 'btn btn-danger', type: 'button', 'data-test': 'reject-entries', onClick: act('rejected') }, 'Tolak yang dipilih')),
    outcome);
}
