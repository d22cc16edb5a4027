// "Cara Predikat Ditentukan": the 3×3 matrix of PermenPANRB 6/2022, interactive. Pick the two ratings
// (or a cell) and the screen says which predicate follows and why.
import { useStyles } from './common.js';
import { RESULT_ROWS, matrixTable, predicateFor, ratingMatrix } from './rules.js';

const RATING_TEXT = {
  above: 'Di Atas Ekspektasi: sebagian besar atau semua hasil kerja melampaui ekspektasi dan tidak ada hasil kerja utama di bawahnya.',
  meets: 'Sesuai Ekspektasi: sebagian besar atau semua hasil kerja sesuai ekspektasi, hanya sedikit hasil kerja utama di bawahnya.',
  below: 'Di Bawah Ekspektasi: sebagian besar atau semua hasil kerja di bawah ekspektasi.',
};

export default async function render(root, { api, h, ui }) {
  useStyles();
  let matrix;
  try {
    matrix = await ratingMatrix(api);
  } catch (err) {
    root.append(ui.problemBox(err));
    return;
  }
  const state = { results: 'meets', behaviour: 'meets' };
  const matrixBox = h('div', {});
  const answer = h('p', { class: 'predicate-preview', 'aria-live': 'polite', 'data-test': 'matrix-answer' });
  const group = (name, legend) => h('fieldset', { class: 'radio-group', 'data-test': `pick-${name}` }, h('legend', {}, legend),
    RESULT_ROWS.map((r) => h('label', {}, h('input', { type: 'radio', name: `help-${name}`, value: r, checked: state[name] === r,
      'data-test': `pick-${name}-${r}`, onChange: () => { state[name] = r; update(); } }), ui.ratingLabel(r))));
  const results = group('results', 'Rating hasil kerja');
  const behaviour = group('behaviour', 'Rating perilaku kerja');

  function update() {
    const code = predicateFor(matrix, state.results, state.behaviour);
    for (const [name, box] of [['results', results], ['behaviour', behaviour]]) {
      for (const input of box.querySelectorAll('input')) input.checked = input.value === state[name];
    }
    answer.replaceChildren('Hasil kerja ', h('strong', {}, ui.ratingLabel(state.results)), ' dan perilaku kerja ',
      h('strong', {}, ui.ratingLabel(state.behaviour)), ' memberi predikat ',
      h('strong', { 'data-test': 'matrix-predicate', 'data-predicate': code }, ui.predicateLabel(code)), '.');
    matrixBox.replaceChildren(matrixTable({ matrix, selected: state, onPick: (r, b) => { state.results = r; state.behaviour = b; update(); } }));
  }

  root.append(
    ui.guide('Predikat kinerja tidak dinilai langsung. Pejabat penilai memberi dua penilaian — hasil kerja dan perilaku kerja — '
      + 'dan predikat mengikuti matriks ini (PermenPANRB No. 6 Tahun 2022). Coba pilih kedua penilaian atau klik salah satu kotak.'),
    h('div', { class: 'row' }, results, behaviour), answer, matrixBox,
    h('h2', {}, 'Apa arti setiap penilaian hasil kerja'),
    h('ul', {}, RESULT_ROWS.map((r) => h('li', {}, RATING_TEXT[r]))),
    h('h2', {}, 'Yang perlu diketahui'),
    h('ul', {},
      h('li', {}, 'Perilaku kerja Di Bawah Ekspektasi selalu memberi Kurang/Misconduct, kecuali hasil kerjanya juga di bawah (Sangat Kurang).'),
      h('li', {}, 'Sangat Baik hanya bila kedua penilaian Di Atas Ekspektasi.'),
      h('li', {}, 'Sistem memberi saran rating hasil kerja dari realisasi kegiatan yang diterima; penilai boleh berbeda dengan menuliskan alasannya.'),
      h('li', {}, 'Predikat menentukan angka kredit pejabat fungsional: Sangat Baik 150 %, Baik 100 %, Butuh Perbaikan 75 %, '
        + 'Kurang 50 %, Sangat Kurang 25 % dari koefisien tahunan.')),
    h('p', {}, h('a', { href: '#/bantuan/distribusi' }, 'Aturan sebaran predikat dalam satu unit →')));
  update();
}
