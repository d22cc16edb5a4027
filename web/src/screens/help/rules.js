// The rules the console explains, in Bahasa Indonesia: the rating matrix (PermenPANRB 6/2022) and
// the predicate distribution per organisational predicate (SE MenPANRB 03/2023). The services
// decide; these texts and the matrix only show people how a result follows.
import { h } from '../../dom.js';
import { predicateLabel, ratingLabel, SCROLL_REGION } from '../../ui.js';

export const RESULT_ROWS = ['above', 'meets', 'below'];
export const BEHAVIOUR_COLUMNS = ['below', 'meets', 'above'];

// results rating -> behaviour rating -> employee predicate
export const MATRIX = {
  above: { below: 'KURANG', meets: 'BAIK', above: 'SANGAT_BAIK' },
  meets: { below: 'KURANG', meets: 'BAIK', above: 'BAIK' },
  below: { below: 'SANGAT_KURANG', meets: 'BUTUH_PERBAIKAN', above: 'BUTUH_PERBAIKAN' },
};

export function predicateFor(results, behaviour) {
  return (MATRIX[results] || {})[behaviour] || null;
}

export const PREDICATE_ORDER = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];
export const ORG_PREDICATES = ['ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];
export const PREDICATE_TONE = { SANGAT_BAIK: 'ok', BAIK: 'ok', BUTUH_PERBAIKAN: 'warn', KURANG: 'bad', SANGAT_KURANG: 'bad' };

/** The SE 03/2023 rules of each organisational predicate, as people read them. */
export const DISTRIBUTION = {
  ISTIMEWA: ['Sangat Baik paling banyak 70 %', 'predikat lain bebas'],
  BAIK: ['Baik paling banyak 70 %', 'paling sedikit satu orang Butuh Perbaikan atau Kurang/Misconduct', 'predikat lain bebas'],
  BUTUH_PERBAIKAN: ['Butuh Perbaikan paling sedikit 60 %', 'Sangat Baik paling banyak 10 %'],
  KURANG: ['Kurang/Misconduct paling sedikit 60 %', 'Butuh Perbaikan paling sedikit 10 %', 'Sangat Baik paling banyak 10 %'],
  SANGAT_KURANG: ['Sangat Kurang paling sedikit 60 %', 'Kurang/Misconduct ditambah Butuh Perbaikan paling sedikit 10 %',
    'tidak boleh ada Sangat Baik'],
};

/** How the percentages become people, per the deployment's policy (EVALUATION_DISTRIBUTION_ROUNDING). */
export const ROUNDING_POLICIES = {
  literal: 'Harfiah (sesuai teks peraturan): "paling banyak p %" dari unit berisi n orang membolehkan p × n orang dibulatkan ke bawah, '
    + '"paling sedikit p %" mewajibkan p × n orang dibulatkan ke atas. Contoh: di unit 8 orang, "paling banyak 70 %" (5,6 orang) '
    + 'berarti paling banyak 5 orang.',
  nearest: 'Orang terdekat: batas dibulatkan ke jumlah orang terdekat; tepat setengah dibulatkan ke arah aturan (ke bawah untuk '
    + '"paling banyak", ke atas untuk "paling sedikit"). Contoh: di unit 8 orang, "paling banyak 70 %" (5,6 orang) berarti paling '
    + 'banyak 6 orang.',
};

export function roundingText(policy) {
  return ROUNDING_POLICIES[policy] || ROUNDING_POLICIES.literal;
}

/** People allowed at most by "at most percent %" of a unit of total, under the policy (as evaluation-service). */
export function maxAllowed(percent, total, policy = 'literal') {
  if (policy === 'nearest') return Math.ceil((2 * percent * total - 100) / 200); // round half down
  return Math.floor((percent * total) / 100);
}

/** People required at least by "at least percent %" of a unit of total, under the policy (as evaluation-service). */
export function minRequired(percent, total, policy = 'literal') {
  if (policy === 'nearest') return Math.floor((2 * percent * total + 100) / 200); // round half up
  return Math.ceil((percent * total) / 100);
}

function names(predicates, joiner) {
  return predicates.map(predicateLabel).join(joiner);
}

/** One rule check of the distribution endpoint (RuleOut) in Bahasa Indonesia. */
export function ruleText(rule) {
  switch (rule.kind) {
    case 'at_most': return `${names(rule.predicates, ' ditambah ')} paling banyak ${rule.value} %`;
    case 'at_least': return `${names(rule.predicates, ' ditambah ')} paling sedikit ${rule.value} %`;
    case 'at_least_count': return `paling sedikit ${rule.value} orang ${names(rule.predicates, ' atau ')}`;
    default: return `tidak boleh ada ${names(rule.predicates, ' atau ')}`;
  }
}

/** What the numbers say about one rule check: "2 orang (40 %); paling banyak boleh 3 orang (70 % dari 5 = 3,5)". */
export function ruleNumbers(rule) {
  const bound = rule.kind === 'at_most' || rule.kind === 'none' ? 'paling banyak boleh' : 'paling sedikit harus';
  const exact = rule.exact === null || rule.exact === undefined ? ''
    : ` (${rule.value} % dari unit = ${String(rule.exact).replace('.', ',')} orang)`;
  return `${rule.count} orang (${rule.share} %); ${bound} ${rule.limit} orang${exact}`;
}

/** Why the rule is broken and what would repair it, in one sentence. */
export function ruleFix(rule) {
  if (rule.ok) return '';
  if (rule.kind === 'at_most' || rule.kind === 'none') {
    return `Kelebihan ${rule.count - rule.limit} orang: predikat ${names(rule.predicates, '/')} perlu ditinjau ulang oleh pejabat penilai.`;
  }
  return `Kurang ${rule.limit - rule.count} orang dengan predikat ${names(rule.predicates, ' atau ')}.`;
}

/**
 * The 3×3 matrix as a table. `selected` = {results, behaviour} highlights a cell; `onPick(results,
 * behaviour)` makes each cell a button (keyboard and screen readers reach every cell).
 */
export function matrixTable({ selected = null, onPick = null, caption = 'Matriks predikat kinerja pegawai' } = {}) {
  const cell = (r, b) => {
    const code = MATRIX[r][b];
    const on = selected && selected.results === r && selected.behaviour === b;
    const label = predicateLabel(code);
    const content = onPick
      ? h('button', { type: 'button', class: 'matrix-pick', 'aria-pressed': String(Boolean(on)), 'data-test': `matrix-${r}-${b}`,
        'aria-label': `Hasil kerja ${ratingLabel(r)}, perilaku ${ratingLabel(b)}: ${label}`, onClick: () => onPick(r, b) }, label)
      : label;
    return h('td', { class: ['matrix-cell', `tone-${PREDICATE_TONE[code]}`, on ? 'on' : ''], 'data-predicate': code,
      'data-cell': `${r}-${b}` }, content);
  };
  return h('div', SCROLL_REGION, h('table', { class: 'matrix', 'data-test': 'matrix', 'data-stack': 'off' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Hasil kerja \\ Perilaku kerja'),
      BEHAVIOUR_COLUMNS.map((b) => h('th', { scope: 'col' }, ratingLabel(b))))),
    h('tbody', {}, RESULT_ROWS.map((r) => h('tr', {}, h('th', { scope: 'row' }, ratingLabel(r)),
      BEHAVIOUR_COLUMNS.map((b) => cell(r, b)))))));
}

/** The distribution rules of every organisational predicate as a table (the one in force highlighted). */
export function distributionTable(current = null) {
  return h('div', SCROLL_REGION, h('table', { 'data-test': 'distribution-rules' },
    h('caption', {}, 'Aturan distribusi predikat pegawai (SE MenPANRB 03/2023)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Predikat organisasi unit'), h('th', { scope: 'col' }, 'Aturan bagi predikat pegawainya'))),
    h('tbody', {}, ORG_PREDICATES.map((code) => h('tr', { class: code === current ? 'current' : '', 'data-org': code },
      h('th', { scope: 'row' }, predicateLabel(code), code === current ? h('span', { class: 'badge badge-info' }, ' berlaku') : null),
      h('td', {}, DISTRIBUTION[code].join('; ')))))));
}

/** The server's results-rating suggestion explained in Bahasa Indonesia from its counts. */
export function suggestionReasons(suggestion) {
  const c = (suggestion && suggestion.counts) || {};
  if (!suggestion) return [];
  if (c.assessed === undefined) {
    return suggestion.rating
      ? [`Pegawai adalah kepala unit: capaian unitnya (predikat organisasi) menjadi rating hasil kerja: ${ratingLabel(suggestion.rating)}.`]
      : [];
  }
  const lines = [`${c.assessed} hasil kerja dinilai: ${c.above} di atas, ${c.meets} sesuai, ${c.below} di bawah ekspektasi; `
    + `${c.main_below} dari ${c.main} hasil kerja utama di bawah ekspektasi.`];
  if (c.unassessed) lines.push(`${c.unassessed} hasil kerja belum dapat dinilai (tanpa target angka): nilailah sendiri di formulir.`);
  if (!c.assessed) {
    lines.push('Belum ada hasil kerja yang dapat dinilai, jadi sistem tidak memberi saran; Anda yang memutuskan.');
  } else if (suggestion.rating === 'above') {
    lines.push('Sebagian besar hasil kerja melampaui ekspektasi dan tidak ada hasil kerja utama di bawah ekspektasi: Di Atas Ekspektasi.');
  } else if (suggestion.rating === 'meets') {
    lines.push('Sebagian besar hasil kerja sesuai atau melampaui ekspektasi dan hanya sedikit hasil kerja utama di bawahnya: Sesuai Ekspektasi.');
  } else if (suggestion.rating === 'below') {
    lines.push(c.below * 2 > c.assessed
      ? 'Sebagian besar hasil kerja di bawah ekspektasi: Di Bawah Ekspektasi.'
      : 'Separuh atau lebih hasil kerja utama di bawah ekspektasi: Di Bawah Ekspektasi.');
  }
  return lines;
}
