// "Rencana Aksi Bawahan": the action plans (rencana aksi) my staff submitted, each read per result and period; agree
// the whole set in one tap, or return it with a reason. Phone-first: one card per employee.
import { actionsByResult, stateBadge } from '../employee/action_plan.js';

export default async function render(root, { api, h, ui, user }) {
  const box = h('section', { 'aria-labelledby': 'rater-actions-title' });
  root.append(ui.guide('Rencana aksi adalah langkah per bulan atau triwulan yang diusulkan bawahan untuk setiap hasil kerja SKP-nya. '
    + 'Periksa aksinya dan targetnya, lalu sepakati seluruhnya atau kembalikan dengan alasan.'), box);

  async function draw() {
    box.replaceChildren(h('h2', { id: 'rater-actions-title' }, 'Rencana aksi menunggu persetujuan'), ui.loading());
    let pending;
    try {
      pending = (await api.get('/api/v1/plans/action-plans', { rater_nip: user.nip, status: 'submitted', limit: 200 })).items;
    } catch (err) {
      box.replaceChildren(ui.problemBox(err));
      return;
    }
    const heading = h('h2', { id: 'rater-actions-title' }, `Rencana aksi menunggu persetujuan (${pending.length})`);
    if (!pending.length) {
      box.replaceChildren(heading, ui.empty('Tidak ada rencana aksi yang menunggu persetujuan.'));
      return;
    }
    const cards = await Promise.all(pending.map((item) => card(item)));
    box.replaceChildren(heading, h('ul', { class: 'list', 'data-test': 'rater-action-plans' }, cards));
  }

  async function card(item) {
    const problems = h('div', { 'aria-live': 'polite' });
    const base = `/api/v1/plans/${item.plan_id}`;
    let plan;
    let set;
    let etag;
    try {
      plan = await api.get(base);
      ({ body: set, etag } = await api.getWithEtag(`${base}/action-plan`));
    } catch (err) {
      return h('li', {}, ui.problemBox(err));
    }
    const reason = h('textarea', { rows: 2, maxlength: 2000 });
    const id = `return-${item.plan_id}`;
    const decide = async (what, body, done) => {
      problems.replaceChildren();
      try {
        await api.post(`${base}/action-plan/${what}`, body, { etag });
        ui.toast(done);
        await draw();
      } catch (err) {
        problems.replaceChildren(ui.problemBox(err));
      }
    };
    return h('li', { 'data-test': 'rater-action-plan', 'data-plan-id': item.plan_id },
      h('div', { class: 'head' }, h('strong', {}, item.name || item.nip), stateBadge(h, set)),
      h('p', { class: 'muted' }, `SKP ${item.year} · ${item.actions} aksi · diajukan ${ui.formatDateTime(item.submitted_at)}`),
      set.amendment_reason ? h('p', {}, `Alasan perubahan: ${set.amendment_reason}`) : null,
      h('details', { open: true }, h('summary', {}, 'Lihat aksi per hasil kerja'), ...actionsByResult(h, plan, set.actions)),
      ui.field(id, 'Alasan bila dikembalikan', reason),
      problems,
      h('div', { class: 'actions' },
        h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'action-agree',
          onClick: () => decide('agree', {}, 'Rencana aksi disepakati.') }, 'Sepakati'),
        h('button', { class: 'btn', type: 'button', 'data-test': 'action-return', onClick: () => {
          if (!reason.value.trim()) {
            problems.replaceChildren(ui.problemBox({ status: 422, problem: { errors: [{ field: 'reason', message: 'tuliskan alasan pengembalian' }] } }));
            return;
          }
          decide('return', { reason: reason.value.trim() }, 'Rencana aksi dikembalikan ke pegawai.');
        } }, 'Kembalikan')));
  }

  await draw();
}
