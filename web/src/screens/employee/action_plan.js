// "Rencana Aksi" in the plan screen (phone-first): per result of the approved SKP, per month or quarter, the actions
// the employee will take, each with its own small target in the indicator's unit; submit them to the rater; after the
// rater agrees, change them only by a recorded amendment (with a reason).
import { periodLabel } from './agreed_actions.js';

const STATES = { draft: ['Draf', 'neutral'], submitted: ['Menunggu persetujuan atasan', 'info'], agreed: ['Disepakati', 'ok'] };

export function stateBadge(h, set) {
  const [label, tone] = STATES[set.status] || [set.status, 'neutral'];
  return h('span', { class: `badge badge-${tone}`, 'data-test': 'action-plan-status', 'data-status': set.status },
    set.amending ? `${label} (perubahan)` : label);
}

/** The actions grouped by result, then period, as a list a phone shows without scrolling sideways. */
export function actionsByResult(h, plan, actions, extra = () => null) {
  return plan.results.map((r) => {
    const mine = actions.filter((a) => a.result_id === r.result_id);
    return h('div', { class: 'action-result', 'data-test': 'action-result' },
      h('h3', {}, r.text),
      mine.length ? h('ul', { class: 'list' }, mine.map((a) => {
        const indicator = r.indicators.find((i) => i.indicator_id === a.indicator_id) || {};
        return h('li', { 'data-test': 'action-item', 'data-action-id': a.action_id },
          h('div', { class: 'head' }, h('strong', {}, periodLabel(a.period)),
            a.target_value !== null && a.target_value !== undefined ? h('span', {}, `Target ${a.target_value} ${a.target_unit || ''}`) : null),
          h('div', {}, a.text), h('small', { class: 'muted' }, `Indikator: ${indicator.text || a.indicator_id}`), extra(a));
      })) : h('p', { class: 'muted' }, 'Belum ada aksi untuk hasil kerja ini.'));
  });
}

export default async function renderActionPlan(section, { api, h, ui, plan }) {
  const base = `/api/v1/plans/${plan.id}`;
  let set;
  let etag;
  const problems = h('div', { 'aria-live': 'polite' });

  async function load() {
    ({ body: set, etag } = await api.getWithEtag(`${base}/action-plan`));
  }

  const indicators = plan.results.flatMap((r) => r.indicators.map((i) => ({ ...i, result_id: r.result_id, result_text: r.text })));
  const form = { action: null, indicator: h('select', {}), period: h('select', {}), text: h('textarea', { rows: 2, maxlength: 1000 }),
    target: h('input', { type: 'number', min: '0', step: 'any', inputmode: 'decimal' }), unit: h('output', { id: 'action-unit', 'data-test': 'action-unit' }) };

  function showUnit() {
    const chosen = indicators.find((i) => i.indicator_id === form.indicator.value);
    form.unit.textContent = chosen && chosen.target_unit ? chosen.target_unit : '-';
    form.target.disabled = !chosen || chosen.target_value === null || chosen.target_value === undefined;
  }
  form.indicator.addEventListener('change', showUnit);

  async function act(fn, done) {
    problems.replaceChildren();
    try {
      await fn();
      if (done) ui.toast(done);
      await load();
      draw();
    } catch (err) {
      problems.replaceChildren(ui.problemBox(err));
    }
  }

  function editor() {
    form.indicator.replaceChildren(...indicators.map((i) => h('option', { value: i.indicator_id }, `${i.text} (${i.result_text})`)));
    form.period.replaceChildren(
      h('optgroup', { label: 'Bulanan' }, set.periods.months.map((p) => h('option', { value: p }, periodLabel(p)))),
      h('optgroup', { label: 'Triwulanan' }, set.periods.quarters.map((p) => h('option', { value: p }, periodLabel(p)))));
    const current = ui.todayIso().slice(0, 7);
    if (set.periods.months.includes(current)) form.period.value = current;
    if (form.action) {
      form.indicator.value = form.action.indicator_id;
      form.period.value = form.action.period;
      form.text.value = form.action.text;
      form.target.value = form.action.target_value ?? '';
    }
    showUnit();
    const save = async () => {
      const body = { indicator_id: form.indicator.value, period: form.period.value, text: form.text.value.trim(),
        target_value: form.target.disabled || form.target.value === '' ? null : Number(form.target.value) };
      if (form.action) {
        await api.patch(`${base}/actions/${form.action.action_id}`, body,
          { etag: `"${form.action.action_id}.${form.action.version}"` });
      } else {
        await api.post(`${base}/actions`, body);
      }
      form.action = null;
      form.text.value = '';
      form.target.value = '';
    };
    return h('form', { class: 'stack', 'data-test': 'action-form', novalidate: true,
      onSubmit: (e) => { e.preventDefault(); act(save, 'Aksi tersimpan.'); } },
    h('h3', {}, form.action ? 'Ubah aksi' : 'Tambah aksi'),
    ui.field('action-indicator', 'Indikator', form.indicator),
    ui.field('action-period', 'Bulan atau triwulan', form.period),
    ui.field('action-text', 'Aksi yang akan dilakukan', form.text),
    h('div', { class: 'row' }, ui.field('action-target', 'Target aksi', form.target),
      h('div', { class: 'field' }, h('label', { for: 'action-unit' }, 'Satuan (dari indikator)'), form.unit)),
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', type: 'submit', 'data-test': 'action-save' },
      form.action ? 'Simpan perubahan' : 'Tambah aksi'),
    form.action ? h('button', { class: 'btn', type: 'button', onClick: () => { form.action = null; draw(); } }, 'Batal') : null));
  }

  function draw() {
    const editable = set.status === 'draft';
    const tools = (a) => (editable ? h('div', { class: 'actions' },
      h('button', { class: 'btn', type: 'button', 'data-test': 'action-edit', 'aria-label': `Ubah aksi: ${a.text}`,
        onClick: () => { form.action = a; draw(); section.querySelector('#action-text')?.focus(); } }, 'Ubah'),
      h('button', { class: 'btn btn-danger', type: 'button', 'aria-label': `Hapus aksi: ${a.text}`,
        onClick: () => act(() => api.del(`${base}/actions/${a.action_id}`, { etag: `"${a.action_id}.${a.version}"` }), 'Aksi dihapus.') },
      'Hapus')) : null);
    const reason = h('textarea', { rows: 2, maxlength: 2000 });
    section.replaceChildren(
      h('div', { class: 'head' }, h('h2', { id: 'action-plan-title' }, 'Rencana Aksi'), stateBadge(h, set)),
      ui.guide(editable ? 'Untuk setiap hasil kerja, tuliskan aksi per bulan atau triwulan beserta targetnya (satuan mengikuti '
        + 'indikator), lalu ajukan ke atasan untuk disepakati. Kegiatan harian kemudian dicatat terhadap aksi.'
        : set.status === 'submitted' ? 'Rencana aksi sedang ditinjau atasan.'
          : 'Rencana aksi sudah disepakati. Pilih aksinya saat mencatat kegiatan; perubahan hanya melalui usulan perubahan.'),
      set.return_reason ? h('p', { class: 'reason', 'data-test': 'action-return-reason' }, `Dikembalikan atasan: ${set.return_reason}`) : null,
      set.amendment_reason ? h('p', { class: 'muted' }, `Alasan perubahan: ${set.amendment_reason}`) : null,
      set.dropped && set.dropped.length ? h('p', { class: 'reason', 'data-test': 'action-dropped' },
        `Perubahan SKP menghapus ${set.dropped.length} aksi: ${set.dropped.map((a) => a.text).join('; ')}`) : null,
      set.agreed_version ? h('p', { class: 'muted' }, `Versi disepakati: ${set.agreed_version}`) : null,
      ...actionsByResult(h, plan, editable || !set.agreed_version ? set.actions : set.agreed_actions, tools),
      editable ? editor() : null,
      problems,
      editable ? h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'action-submit',
        disabled: !set.actions.length, onClick: () => act(() => api.post(`${base}/action-plan/submit`, {}, { etag }),
          'Rencana aksi diajukan ke atasan.') }, 'Ajukan rencana aksi')) : null,
      set.status === 'agreed' ? h('form', { class: 'stack', 'data-test': 'action-amend', novalidate: true, onSubmit: (e) => {
        e.preventDefault();
        act(() => api.post(`${base}/action-plan/amend`, { reason: reason.value.trim() }, { etag }), 'Silakan ubah rencana aksi lalu ajukan lagi.');
      } }, ui.field('action-amend-reason', 'Alasan perubahan rencana aksi', reason),
      h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'submit', 'data-test': 'action-amend-open' }, 'Usulkan perubahan'))) : null);
  }

  section.replaceChildren(ui.loading());
  try {
    await load();
    draw();
  } catch (err) {
    section.replaceChildren(ui.problemBox(err));
  }
}
