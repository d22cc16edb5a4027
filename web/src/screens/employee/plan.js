// "Rencana Kinerja (SKP)": draft the year's plan (from a template or from scratch), link each main
// result to the rater's result it supports (the cascade), save the draft and submit it to the rater.
import { dialogueLink } from '../dialogue_parts.js';
import { pdfButton } from '../../documents.js';

const ASPECTS = { quantity: 'Kuantitas', quality: 'Kualitas', time: 'Waktu', cost: 'Biaya' };
const VALUES = { service: 'Berorientasi Pelayanan', accountable: 'Akuntabel', competent: 'Kompeten', harmonious: 'Harmonis',
  loyal: 'Loyal', adaptive: 'Adaptif', collaborative: 'Kolaboratif' };

function blankResult(kind = 'main') {
  return { kind, text: '', supports_result_id: null, indicators: [{ aspect: 'quantity', text: '', target_value: null, target_unit: '' }] };
}

function contentOf(source) {
  return {
    approach: source.approach || 'quantitative',
    model: source.model || 'JA_JF',
    results: (source.results || []).map((r) => ({
      result_id: r.result_id || null, kind: r.kind || 'main', text: r.text || '', perspective: r.perspective || null,
      supports_result_id: r.supports_result_id || null,
      indicators: (r.indicators || []).map((i) => ({ indicator_id: i.indicator_id || null, aspect: i.aspect || 'quantity', text: i.text || '',
        target_value: i.target_value === undefined ? null : i.target_value, target_unit: i.target_unit || '' })),
    })),
    behaviours: Object.keys(VALUES).map((value) => ({ value,
      expectation: ((source.behaviours || []).find((b) => b.value === value) || {}).expectation || '' })),
    attachments: { resources: '', accountability: '', consequences: '', ...(source.attachments || {}) },
  };
}

export default async function render(root, { api, h, ui, user }) {
  const year = Number(ui.todayIso().slice(0, 4));
  let me = null;
  let plan = null;
  let etag = null;
  let raterResults = [];
  let templates = [];
  try {
    me = await api.get(`/api/v1/employees/${user.nip}`);
  } catch (err) {
    root.append(ui.problemBox(err));
    return;
  }
  const mine = await api.get('/api/v1/plans', { nip: user.nip, year, limit: 5 });
  plan = mine.items.find((p) => p.status !== 'closed') || null;
  if (plan) ({ body: plan, etag } = await api.getWithEtag(`/api/v1/plans/${plan.id}`));
  let cascadeNote = '';
  try {
    // plan-service lists the rater's approved results an employee may support, without opening the rater's plan
    const supportable = await api.get('/api/v1/plans/supportable-results', { nip: user.nip, year });
    raterResults = supportable.results.filter((r) => r.kind === 'main');
    if (!supportable.rater_nip) cascadeNote = 'Anda belum memiliki pejabat penilai di direktori; hubungi admin kepegawaian.';
    else if (!supportable.plan_id) cascadeNote = `SKP ${supportable.rater_name || 'atasan'} tahun ini belum disetujui; hasil kerja utama dapat dikaitkan setelahnya.`;
  } catch {
    raterResults = [];
  }
  try {
    templates = (await api.get('/api/v1/plan-templates', { limit: 100 })).items;
  } catch {
    templates = [];
  }

  const header = h('div', { class: 'card', 'data-test': 'plan-status' },
    h('p', {}, `Tahun ${year} · ${me.position || 'Jabatan belum diisi'}`),
    plan ? h('p', {}, 'Status: ', ui.statusBadge(plan.status, 'plan-status-badge')) : h('p', {}, 'Anda belum memiliki SKP untuk tahun ini.'),
    plan && plan.status === 'approved' ? pdfButton(`/api/v1/plans/${plan.id}/document.pdf`, `skp_${year}.pdf`) : null,
    plan && plan.return_reason && plan.status === 'draft' ? h('p', { class: 'reason', 'data-test': 'return-reason' },
      `Dikembalikan atasan: ${plan.return_reason}`) : null);
  root.append(header);

  if (plan && plan.status !== 'draft') {
    root.append(ui.guide(plan.status === 'submitted' ? 'SKP Anda sedang ditinjau atasan. Anda akan mendapat notifikasi saat disetujui atau dikembalikan.'
      : 'SKP Anda sudah disetujui. Catat kegiatan harian terhadap indikatornya.'), readOnly(h, ui, plan, raterResults),
    plan.status === 'approved' ? h('div', { class: 'actions' }, dialogueLink(h, { plan: plan.id })) : '');
    if (plan.status === 'approved') {  // the action plans (rencana aksi) of the approved plan
      const section = h('section', { class: 'card', 'aria-labelledby': 'action-plan-title', 'data-test': 'action-plan' });
      root.append(section);
      await (await import('./action_plan.js')).default(section, { api, h, ui, plan });
    }
    return;
  }

  const model = contentOf(plan || { results: [blankResult('main')] });
  const slot = h('div', {});
  const problems = h('div', { 'aria-live': 'polite' });

  root.append(ui.guide('Susun SKP dalam tiga langkah: (1) tulis hasil kerja dan indikatornya, atau pakai templat jabatan; '
    + '(2) untuk setiap hasil kerja utama, pilih hasil kerja atasan yang Anda dukung (cascading); (3) simpan draf lalu ajukan ke atasan.'));

  if (templates.length) {
    const choice = h('select', {}, h('option', { value: '' }, '— pilih templat —'),
      templates.map((t) => h('option', { value: t.id }, `${t.name} (${t.position})`)));
    const preferred = templates.find((t) => me.position && t.position === me.position);
    if (preferred) choice.value = preferred.id;
    root.append(h('div', { class: 'card' }, ui.field('plan-template', 'Templat SKP jabatan', choice),
      h('button', { class: 'btn', type: 'button', 'data-test': 'use-template', onClick: () => {
        const t = templates.find((x) => x.id === choice.value);
        if (!t) return;
        Object.assign(model, contentOf(t));
        draw();
        ui.toast('Isi templat dimasukkan; sesuaikan lalu simpan.');
      } }, 'Pakai templat')));
  }

  root.append(h('section', { class: 'card', 'aria-labelledby': 'cascade-title' }, h('h2', { id: 'cascade-title' }, 'Hasil kerja atasan yang didukung'),
    raterResults.length ? h('ul', { 'data-test': 'rater-results' }, raterResults.map((r) => h('li', {}, r.text)))
      : ui.guide(cascadeNote || 'SKP atasan Anda tahun ini belum disetujui; hasil kerja utama dapat dikaitkan setelahnya.')),
  slot, problems);

  function draw() {
    slot.replaceChildren(
      ...model.results.map((r, i) => resultCard(r, i)),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', type: 'button', 'data-test': 'add-result', onClick: () => { model.results.push(blankResult('main')); draw(); } }, '+ Hasil kerja utama'),
        h('button', { class: 'btn', type: 'button', onClick: () => { model.results.push(blankResult('additional')); draw(); } }, '+ Hasil kerja tambahan')),
      h('section', { class: 'card' }, h('h2', {}, 'Perilaku kerja (BerAKHLAK): ekspektasi khusus'),
        model.behaviours.map((b, k) => ui.field(`plan-b-${b.value}`, VALUES[b.value],
          bind(h('textarea', { value: b.expectation, rows: 2 }), b, 'expectation')))),
      h('div', { class: 'actions' },
        h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'plan-save', onClick: saveDraft }, 'Simpan draf'),
        h('button', { class: 'btn', type: 'button', 'data-test': 'plan-submit', disabled: !plan, onClick: submit }, 'Ajukan ke atasan')));
  }

  function bind(control, target, key, convert = (v) => v) {
    control.addEventListener('input', () => { target[key] = convert(control.value); });
    return control;
  }

  function resultCard(r, i) {
    const kind = r.kind === 'main' ? 'Hasil kerja utama' : 'Hasil kerja tambahan';
    const supports = r.kind === 'main' && raterResults.length ? ui.field(`plan-r${i}-supports`, 'Mendukung hasil kerja atasan',
      bind(h('select', {}, h('option', { value: '' }, '— pilih —'),
        raterResults.map((x) => h('option', { value: x.result_id, selected: x.result_id === r.supports_result_id }, x.text))), r, 'supports_result_id',
      (v) => v || null)) : null;
    return h('section', { class: 'card', 'data-test': 'plan-result' },
      h('div', { class: 'head' }, h('h2', {}, `${kind} ${i + 1}`),
        model.results.length > 1 ? h('button', { class: 'btn btn-danger', type: 'button', onClick: () => { model.results.splice(i, 1); draw(); } }, 'Hapus') : null),
      ui.field(`plan-r${i}-text`, 'Rumusan hasil kerja', bind(h('textarea', { value: r.text, rows: 2 }), r, 'text')),
      supports,
      r.indicators.map((ind, j) => h('div', { class: 'row' },
        ui.field(`plan-r${i}-i${j}-aspect`, 'Aspek', bind(h('select', {}, Object.entries(ASPECTS).map(([v, t]) =>
          h('option', { value: v, selected: v === ind.aspect }, t))), ind, 'aspect')),
        ui.field(`plan-r${i}-i${j}-text`, 'Indikator', bind(h('input', { type: 'text', value: ind.text }), ind, 'text')),
        ui.field(`plan-r${i}-i${j}-target`, 'Target', bind(h('input', { type: 'number', min: '0', step: 'any', value: ind.target_value ?? '' }),
          ind, 'target_value', (v) => (v === '' ? null : Number(v)))),
        ui.field(`plan-r${i}-i${j}-unit`, 'Satuan', bind(h('input', { type: 'text', value: ind.target_unit || '' }), ind, 'target_unit')))),
      h('button', { class: 'btn', type: 'button', onClick: () => { r.indicators.push({ aspect: 'quality', text: '', target_value: null, target_unit: '' }); draw(); } },
        '+ Indikator'));
  }

  function payload() {
    const body = JSON.parse(JSON.stringify(model));
    for (const r of body.results) {
      if (!r.result_id) delete r.result_id;
      for (const i of r.indicators) {
        if (!i.indicator_id) delete i.indicator_id;
        i.target_unit = i.target_unit || null;
      }
    }
    return body;
  }

  async function saveDraft() {
    problems.replaceChildren();
    try {
      if (plan) {
        const answer = await api.put(`/api/v1/plans/${plan.id}`, payload(), { etag });
        ({ body: plan, etag } = await api.getWithEtag(`/api/v1/plans/${answer.id}`));
      } else {
        const created = await api.post('/api/v1/plans', { ...payload(), nip: user.nip, year });
        ({ body: plan, etag } = await api.getWithEtag(`/api/v1/plans/${created.id}`));
      }
      Object.assign(model, contentOf(plan));
      ui.toast('Draf SKP tersimpan.');
      draw();
      header.replaceChildren(h('p', {}, `Tahun ${year} · ${me.position || ''}`), h('p', {}, 'Status: ', ui.statusBadge(plan.status, 'plan-status-badge')));
    } catch (err) {
      problems.replaceChildren(ui.problemBox(err));
    }
  }

  async function submit() {
    problems.replaceChildren();
    try {
      await api.post(`/api/v1/plans/${plan.id}/submit`, {}, { etag });
      ui.toast('SKP diajukan ke atasan.');
      root.replaceChildren();
      await render(root, { api, h, ui, user });
    } catch (err) {
      problems.replaceChildren(ui.problemBox(err));
    }
  }

  draw();
}

function readOnly(h, ui, plan, raterResults) {
  const supportText = (id) => (raterResults.find((r) => r.result_id === id) || {}).text;
  return h('div', {}, plan.results.map((r) => h('section', { class: 'card', 'data-test': 'plan-result' },
    h('h2', {}, `${r.kind === 'main' ? 'Hasil kerja utama' : 'Hasil kerja tambahan'}: ${r.text}`),
    r.supports_result_id ? h('p', { class: 'muted' }, `Mendukung: ${supportText(r.supports_result_id) || r.supports_result_id}`) : null,
    h('ul', {}, r.indicators.map((i) => h('li', {}, `${ASPECTS[i.aspect] || i.aspect}: ${i.text}`,
      i.target_value !== null && i.target_value !== undefined ? ` (target ${i.target_value} ${i.target_unit || ''})` : ''))))));
}
