// "Penilaian Bawahan": the evaluations I rate, and the evaluation form (#/penilai/penilaian?id=...):
// realisation prefilled from verified activities, the suggested results rating and its reasoning,
// the two ratings and the predicate exactly as the matrix gives it; submit, then close.
import { pdfButton } from '../../documents.js';
import { useStyles, allPages, subordinates, personName, hashParams } from '../help/common.js';
import { RESULT_ROWS, matrixTable, predicateFor, ratingMatrix, suggestionReasons } from '../help/rules.js';
import { SCROLL_REGION } from '../../ui.js';
import { dialogueLink, followUpsBox } from '../dialogue_parts.js';

const KIND = { monthly: 'Bulanan', quarterly: 'Triwulan', annual: 'Tahunan' };
const BEHAVIOUR_NAMES = {
  service: 'Berorientasi Pelayanan', accountable: 'Akuntabel', competent: 'Kompeten', harmonious: 'Harmonis', loyal: 'Loyal',
  adaptive: 'Adaptif', collaborative: 'Kolaboratif',
};
const ROUTE = 'penilai/penilaian';

export default async function render(root, ctx) {
  useStyles();
  const id = hashParams().get('id');
  const people = await subordinates(ctx.api, ctx.user.nip).catch(() => new Map());
  if (id) return renderForm(root, ctx, id, people);
  return renderList(root, ctx, people);
}

async function renderList(root, ctx, people) {
  const { api, h, ui, user } = ctx;
  root.append(ui.guide('Penilaian dibuka otomatis setiap periode untuk pegawai yang SKP-nya disetujui. Buka formulir, periksa realisasi, '
    + 'beri dua penilaian, ajukan, lalu tutup. Penilaian yang sudah ditutup hanya dapat dikoreksi oleh admin BKPSDM.'));
  let items;
  try {
    items = await allPages(api, '/api/v1/evaluations', { rater_nip: user.nip });
  } catch (err) {
    root.append(ui.problemBox(err));
    return;
  }
  if (!items.length) {
    root.append(ui.empty('Belum ada penilaian untuk pegawai yang Anda nilai.'));
    return;
  }
  const order = { open: 0, submitted: 1, closed: 2 };
  items.sort((a, b) => order[a.status] - order[b.status] || b.period.start.localeCompare(a.period.start) || a.nip.localeCompare(b.nip));
  root.append(h('div', SCROLL_REGION, h('table', { 'data-test': 'rater-evaluations' },
    h('thead', {}, h('tr', {}, ['Pegawai', 'Periode', 'Status', 'Predikat', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((e) => h('tr', { 'data-test': 'rater-evaluation', 'data-id': e.id, 'data-nip': e.nip, 'data-status': e.status },
      h('td', {}, personName(people, e.nip)), h('td', {}, `${KIND[e.period.kind] || e.period.kind} ${e.period.id}`),
      h('td', {}, ui.statusBadge(e.status)), h('td', {}, e.predicate ? ui.predicateLabel(e.predicate) : '-'),
      h('td', {}, h('a', { class: 'btn', href: `#/${ROUTE}?id=${e.id}`, 'data-test': 'open-evaluation' },
        e.status === 'closed' ? 'Lihat' : 'Buka formulir'))))))));
}

function prefillRealisation(result) {
  // realisation per aspect: the service's reasoning says how each indicator's figure was reached
  if (result.indicators.every((i) => i.reasoning)) return result.indicators.map((i) => `${i.text}: ${i.reasoning}`).join('\n');
  return result.indicators.map((i) => {
    const target = i.target_value === null || i.target_value === undefined ? '' : ` dari target ${i.target_value} ${i.target_unit || ''}`;
    const pct = i.percent_of_expected === null || i.percent_of_expected === undefined ? '' : ` (${i.percent_of_expected} % dari yang diharapkan s.d. periode ini)`;
    return `${i.text}: ${i.realised_to_date} ${i.target_unit || ''} terverifikasi${target}${pct}.`.replace(/\s+/g, ' ');
  }).join('\n');
}

function employeeRealisation(h, mine) {
  if (!mine) return h('p', { class: 'muted', 'data-test': 'employee-realisation' }, 'Pegawai belum mengisi realisasi hasil kerja ini.');
  const label = (e) => (e.kind === 'file' ? `Berkas: ${e.name || e.file_id}` : e.kind === 'activity'
    ? `Dari kegiatan: ${e.name || e.url || e.file_id}` : `Tautan: ${e.name || e.url}`);
  return h('div', { class: 'guide', 'data-test': 'employee-realisation' },
    h('strong', {}, 'Realisasi menurut pegawai'),
    h('p', {}, mine.realisation || '-'),
    mine.narrative ? h('p', { 'data-test': 'employee-narrative' }, mine.narrative) : null,
    h('ul', { 'data-test': 'employee-evidence' }, mine.evidence.length ? mine.evidence.map((e) => h('li', {},
      (e.download || e.url) ? h('a', { href: e.download || e.url, target: '_blank', rel: 'noopener noreferrer' }, label(e)) : label(e)))
      : [h('li', { class: 'muted' }, 'Tanpa bukti dukung.')]));
}

function radios(h, name, legend, value, onChange, testPrefix) {
  return h('fieldset', { class: 'radio-group', 'data-test': testPrefix },
    h('legend', {}, legend),
    RESULT_ROWS.map((r) => h('label', {}, h('input', { type: 'radio', name, value: r, checked: value === r, 'data-test': `${testPrefix}-${r}`,
      onChange: () => onChange(r) }), labelOf(r))));
}

function labelOf(r) {
  return { above: 'Di Atas Ekspektasi', meets: 'Sesuai Ekspektasi', below: 'Di Bawah Ekspektasi' }[r];
}

async function renderForm(root, ctx, id, people) {
  const { api, h, ui } = ctx;
  root.append(h('p', {}, h('a', { href: `#/${ROUTE}` }, '← Kembali ke daftar penilaian')));
  let d;
  let etag;
  let matrix;
  try {
    [{ body: d, etag }, matrix] = await Promise.all([api.getWithEtag(`/api/v1/evaluations/${id}`), ratingMatrix(api)]);
  } catch (err) {
    root.append(ui.problemBox(err));
    return;
  }
  const editable = d.status !== 'closed' && d.rater_nip === ctx.user.nip;
  const suggestion = d.suggestion || {};
  const draft = (d.form && d.form.draft) || {};
  const state = {
    results: d.results_rating || draft.results_rating || suggestion.rating || null,
    behaviour: d.behaviour_rating || draft.behaviour_rating || null,
  };
  const self = d.self_assessment || null;
  const name = (d.employee && d.employee.name) || personName(people, d.nip);
  root.append(h('section', { class: 'card', 'data-test': 'evaluation-form', 'data-status': d.status },
    h('h2', {}, `${name} · ${KIND[d.period.kind] || d.period.kind} ${d.period.id}`),
    h('p', {}, `${(d.employee && d.employee.position) || ''} · NIP ${d.nip} · `, ui.statusBadge(d.status, 'evaluation-status'),
      d.revision > 1 ? ` · revisi ${d.revision}` : ''),
    h('div', { class: 'actions' }, dialogueLink(h, { plan: d.plan_id, evaluation: d.id }))),
    followUpsBox(h, ui, d.dialogue_follow_ups) || '');

  if (d.pending && d.pending.activities_pending) {
    root.append(h('p', { class: 'verdict bad', 'data-test': 'pending-warning' },
      `${d.pending.activities_pending} kegiatan periode ini masih menunggu verifikasi dan belum dihitung sebagai realisasi. `,
      h('a', { href: '#/penilai/kotak-masuk' }, 'Verifikasi dulu di Kotak Masuk.')));
  }

  if (self) {
    root.append(h('p', { class: self.status === 'submitted' ? 'verdict' : 'verdict bad', 'data-test': 'self-assessment',
      'data-status': self.status }, self.note));
  }

  // Results with their realisation
  const resultInputs = [];
  root.append(h('h2', {}, 'Hasil kerja dan realisasi'),
    ui.guide('Realisasi di bawah sudah diisi dari kegiatan harian yang Anda terima. Lengkapi dengan bukti lain bila ada, lalu tulis umpan balik '
      + 'berdasarkan bukti dukung. Penilaian per hasil kerja dihitung dari realisasi; ubah hanya bila ada alasan.'));
  for (const [index, r] of (d.results || []).entries()) {
    const realisation = h('textarea', { rows: 3, disabled: !editable, 'data-test': `realisation-${index}` });
    realisation.value = (r.form && r.form.realisation) || prefillRealisation(r);
    const feedback = h('textarea', { rows: 2, disabled: !editable, 'data-test': `result-feedback-${index}` });
    feedback.value = (r.form && r.form.feedback) || '';
    const assessment = h('select', { disabled: !editable, 'data-test': `assessment-${index}` },
      h('option', { value: '' }, r.computed_assessment ? `Dari realisasi: ${labelOf(r.computed_assessment)}` : 'Belum dinilai'),
      RESULT_ROWS.map((x) => h('option', { value: x, selected: r.form && r.form.assessment === x }, labelOf(x))));
    resultInputs.push({ result_id: r.result_id, realisation, feedback, assessment });
    root.append(h('div', { class: 'card', 'data-test': 'result', 'data-result': r.result_id },
      h('h3', {}, `${r.kind === 'main' ? 'Utama' : 'Tambahan'}: ${r.text}`),
      h('div', SCROLL_REGION, h('table', {},
        h('thead', {}, h('tr', {}, ['Indikator', 'Target', 'Realisasi s.d. periode', 'Diharapkan', '% harapan', 'Menunggu'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, r.indicators.map((i) => h('tr', {},
          h('td', {}, i.text), h('td', {}, i.target_value === null ? '-' : `${i.target_value} ${i.target_unit || ''}`),
          h('td', { 'data-test': 'realised' }, `${i.measured_value ?? i.realised_to_date}`), h('td', {}, i.expected_to_date === null ? '-' : `${i.expected_to_date}`),
          h('td', {}, i.percent_of_expected === null ? '-' : `${i.percent_of_expected} %`), h('td', {}, `${i.pending_in_period}`)))))),
      employeeRealisation(h, r.employee),
      r.indicators.filter((i) => i.reasoning).map((i) => h('p', { class: 'muted', 'data-test': 'indicator-reasoning' }, i.reasoning)),
      (r.continuous_feedback || []).length ? h('p', { class: 'muted' }, 'Umpan balik berkelanjutan: ',
        r.continuous_feedback.map((f) => f.text).join(' · ')) : null,
      ui.field(`realisation-${index}`, 'Realisasi berdasarkan bukti dukung', realisation),
      ui.field(`result-feedback-${index}`, 'Umpan balik berdasarkan bukti dukung', feedback,
        self && self.feedback_required && r.kind === 'main' ? 'Wajib untuk hasil kerja utama: pegawai sudah menyampaikan realisasi.' : null),
      ui.field(`assessment-${index}`, 'Penilaian hasil kerja ini', assessment)));
  }

  // Behaviour
  const behaviourInputs = [];
  root.append(h('h2', {}, 'Perilaku kerja (BerAKHLAK)'));
  const behaviourCard = h('div', { class: 'card' });
  for (const b of d.behaviours || []) {
    const input = h('textarea', { rows: 2, disabled: !editable });
    input.value = b.feedback || '';
    behaviourInputs.push({ value: b.value, input });
    behaviourCard.append(ui.field(`behaviour-${b.value}`, `${BEHAVIOUR_NAMES[b.value] || b.value}`, input,
      b.expectation ? `Ekspektasi khusus pimpinan: ${b.expectation}` : null));
  }
  root.append(behaviourCard);

  // Ratings, suggestion and predicate
  const preview = h('p', { class: 'predicate-preview', 'aria-live': 'polite', 'data-test': 'predicate-preview' });
  const matrixBox = h('div', {});
  const noteHint = h('small', { class: 'hint' });
  const note = h('textarea', { rows: 2, disabled: !editable, 'data-test': 'rating-note' });
  note.value = d.rating_note || draft.rating_note || '';
  const update = () => {
    const predicate = predicateFor(matrix, state.results, state.behaviour);
    preview.replaceChildren(predicate
      ? h('span', {}, 'Predikat menurut matriks: ', h('strong', { 'data-test': 'predicate', 'data-predicate': predicate }, ui.predicateLabel(predicate)))
      : h('span', { class: 'muted' }, 'Pilih kedua penilaian untuk melihat predikatnya.'));
    matrixBox.replaceChildren(matrixTable({ matrix, selected: { results: state.results, behaviour: state.behaviour },
      caption: 'Predikat mengikuti matriks dua penilaian' }));
    const differs = suggestion.rating && state.results && state.results !== suggestion.rating;
    noteHint.textContent = differs
      ? `Wajib: rating hasil kerja Anda berbeda dari saran sistem (${labelOf(suggestion.rating)}). Jelaskan alasannya.`
      : 'Opsional, kecuali bila rating hasil kerja berbeda dari saran sistem.';
    noteHint.className = differs ? 'hint rule-bad' : 'hint';
  };
  root.append(...[h('h2', {}, 'Penilaian dan predikat'),
    h('div', { class: 'card', 'data-test': 'suggestion' },
      h('p', {}, 'Saran sistem untuk rating hasil kerja: ',
        h('strong', { 'data-test': 'suggested-rating', 'data-rating': suggestion.rating || '' }, suggestion.rating ? labelOf(suggestion.rating) : 'tidak ada saran')),
      h('ul', {}, suggestionReasons(suggestion).map((line) => h('li', {}, line)))),
    ui.guide('Rating hasil kerja: Di Atas bila sebagian besar hasil kerja melampaui ekspektasi dan tidak ada hasil kerja utama di bawahnya; '
      + 'Sesuai bila sebagian besar sesuai dan hanya sedikit hasil kerja utama di bawahnya; Di Bawah bila sebagian besar di bawah ekspektasi. '
      + 'Predikat tidak dipilih: ia mengikuti matriks.'),
    editable ? radios(h, 'results-rating', 'Rating hasil kerja', state.results, (v) => { state.results = v; update(); }, 'results-rating') : null,
    editable ? radios(h, 'behaviour-rating', 'Rating perilaku kerja', state.behaviour, (v) => { state.behaviour = v; update(); }, 'behaviour-rating') : null,
    !editable && d.results_rating ? h('p', {}, `Hasil kerja: ${labelOf(d.results_rating)} · Perilaku kerja: ${labelOf(d.behaviour_rating)}`) : null,
    preview, matrixBox,
    editable ? h('div', { class: 'field' }, h('label', { for: 'rating-note' }, 'Catatan penilaian'), Object.assign(note, { id: 'rating-note' }), noteHint) : null,
    d.status === 'closed' && d.credit_points !== null && d.credit_points !== undefined ? h('p', {}, `Angka kredit periode ini: ${d.credit_points}`) : null,
    d.status === 'closed' ? pdfButton(`/api/v1/evaluations/${d.id}/document.pdf`, `evaluasi-kinerja_${d.nip}_${d.period.id}.pdf`) : null,
  ].filter(Boolean));
  update();

  const out = h('div', { 'aria-live': 'polite' });
  const formBody = () => ({
    results_rating: state.results, behaviour_rating: state.behaviour, rating_note: note.value.trim() || null,
    results: resultInputs.map((r) => ({ result_id: r.result_id, realisation: r.realisation.value.trim() || null,
      feedback: r.feedback.value.trim() || null, assessment: r.assessment.value || null })),
    behaviours: behaviourInputs.map((b) => ({ value: b.value, feedback: b.input.value.trim() || null })),
  });
  if (editable && d.status === 'open') {
    const saveDraft = h('button', { class: 'btn', type: 'button', 'data-test': 'save-draft', onClick: async () => {
      saveDraft.disabled = true;
      try {
        etag = (await api.put(`/api/v1/evaluations/${id}/draft`, formBody(), { etag, raw: true })).etag;
        ui.toast('Draf penilaian disimpan.');
        out.replaceChildren(h('p', { class: 'muted', 'data-test': 'draft-saved' }, 'Draf tersimpan.'));
      } catch (err) {
        out.replaceChildren(ui.problemBox(err));
      }
      saveDraft.disabled = false;
    } }, 'Simpan draf');
    const reason = h('textarea', { rows: 2, 'data-test': 'return-reason' });
    const giveBack = self && self.status === 'submitted' ? h('div', { class: 'card' },
      ui.field('return-reason', 'Alasan mengembalikan realisasi kepada pegawai', reason),
      h('button', { class: 'btn', type: 'button', 'data-test': 'return-realisation', onClick: async () => {
        try {
          await api.post(`/api/v1/evaluations/${id}/realisation/return`, { reason: reason.value.trim() });
          ui.toast('Realisasi dikembalikan kepada pegawai.');
          root.replaceChildren();
          await renderForm(root, ctx, id, people);
        } catch (err) {
          out.replaceChildren(ui.problemBox(err));
        }
      } }, 'Kembalikan realisasi')) : null;
    root.append(h('div', { class: 'actions' }, saveDraft), giveBack);
  }
  if (editable) {
    const submit = h('button', { class: 'btn btn-primary', type: 'button', 'data-test': 'submit-evaluation', onClick: async () => {
      const errors = [];
      if (!state.results) errors.push({ field: 'results_rating', message: 'pilih rating hasil kerja' });
      if (!state.behaviour) errors.push({ field: 'behaviour_rating', message: 'pilih rating perilaku kerja' });
      if (suggestion.rating && state.results && state.results !== suggestion.rating && !note.value.trim()) {
        errors.push({ field: 'rating_note', message: `wajib diisi: rating hasil kerja berbeda dari saran sistem (${labelOf(suggestion.rating)})` });
      }
      if (errors.length) {
        out.replaceChildren(ui.problemBox({ status: 422, problem: { errors } }));
        return;
      }
      submit.disabled = true;
      try {
        await api.post(`/api/v1/evaluations/${id}/submit`, formBody(), { etag });
        ui.toast('Penilaian diajukan.');
        root.replaceChildren();
        await renderForm(root, ctx, id, people);
      } catch (err) {
        out.replaceChildren(ui.problemBox(err));
        submit.disabled = false;
      }
    } }, d.status === 'submitted' ? 'Ajukan ulang' : 'Ajukan penilaian');
    const close = d.status === 'submitted' ? h('button', { class: 'btn', type: 'button', 'data-test': 'close-evaluation', onClick: async () => {
      close.disabled = true;
      try {
        await api.post(`/api/v1/evaluations/${id}/close`, {}, { etag });
        ui.toast('Penilaian ditutup.');
        root.replaceChildren();
        await renderForm(root, ctx, id, people);
      } catch (err) {
        out.replaceChildren(ui.problemBox(err));
        close.disabled = false;
      }
    } }, 'Tutup penilaian') : null;
    root.append(ui.guide(d.status === 'submitted'
      ? 'Penilaian sudah diajukan. Tutup bila sudah final: setelah ditutup pegawai melihat predikatnya dan penilaian tidak dapat diubah lagi.'
      : 'Setelah diajukan, penilaian masih dapat diubah sampai Anda menutupnya.'),
    h('div', { class: 'actions' }, submit, close), out);
  }
}
