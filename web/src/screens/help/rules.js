// The rules the console explains, in Bahasa Indonesia: the rating matrix (PermenPANRB 6/2022) and
// the predicate distribution per organisational predicate (SE MenPANRB 03/2023). evaluation-service
// decides and serves the rules themselves (GET /api/v1/evaluations/rules/rating-matrix and
// /distribution, answered from its domain.py); the browser asks once per page and keeps only the words.
import { h } from '../../dom.js';
import { predicateLabel, ratingLabel, SCROLL_REGION } from '../../ui.js';

export const RESULT_ROWS = ['above', 'meets', 'below'];
export const BEHAVIOUR_COLUMNS = ['below', 'meets', 'above'];

const RULES = '/api/v1/evaluations/rules';
const asked = new Map();

/** One GET per page and arguments (the answers change only with a release or a setting; they carry an
 * ETag and Cache-Control, so the browser revalidates them cheaply); a failed one is asked again next time. */
function ask(api, path, query = {}) {
  const key = `${path}?${new URLSearchParams(query)}`;
  if (!asked.has(key)) asked.set(key, api.get(path, query).catch((err) => { asked.delete(key); throw err; }));
  return asked.get(key);
}

/** The rating matrix as evaluation-service applies it: results rating -> behaviour rating -> employee predicate. */
export async function ratingMatrix(api) {
  return (await ask(api, `${RULES}/rating-matrix`)).matrix;
}

/** Every organisational predicate's distribution rules (kind, value, predicates) and, for a unit of `size`
 * people, each rule's bound in people under the deployment's rounding policy (`rounding_policy`). */
export function distributionRules(api, size = null) {
  return ask(api, `${RULES}/distribution`, size ? { size } : {});
}

/** The rules of one organisational predicate in a distributionRules answer. */
export function rulesOf(served, orgPredicate) {
  const found = ((served && served.organisational_predicates) || []).find((o) => o.organisational_predicate === orgPredicate);
  return found ? found.rules : [];
}

export function predicateFor(matrix, results, behaviour) {
  return ((matrix || {})[results] || {})[behaviour] || null;
}

export const PREDICATE_ORDER = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];
export const ORG_PREDICATES = ['ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];
export const PREDICATE_TONE = { SANGAT_BAIK: 'ok', BAIK: 'ok', BUTUH_PERBAIKAN: 'warn', KURANG: 'bad', SANGAT_KURANG: 'bad' };

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

function names(predicates, joiner) {
  return predicates.map(predicateLabel).join(joiner);
}

/** One rule (of the distribution check, RuleOut, or of the served rules) in Bahasa Indonesia. */
export function ruleText(rule) {
  switch (rule.kind) {
    case 'at_most': return `${names(rule.predicates, ' ditambah ')} paling banyak ${rule.value} %`;
    case 'at_least': return `${names(rule.predicates, ' ditambah ')} paling sedikit ${rule.value} %`;
    case 'at_least_count': return `paling sedikit ${rule.value} orang ${names(rule.predicates, ' atau ')}`;
    default: return `tidak boleh ada ${names(rule.predicates, ' atau ')}`;
  }
}

/** A served rule's bound for a unit of n people ("Baik: paling banyak 5 orang (70 % dari 8)"). */
export function boundText(rule, n) {
  const who = names(rule.predicates, rule.kind === 'at_least_count' ? ' atau ' : ' ditambah ');
  switch (rule.kind) {
    case 'at_most': return `${who}: paling banyak ${rule.bound} orang (${rule.value} % dari ${n})`;
    case 'at_least': return `${who}: paling sedikit ${rule.bound} orang (${rule.value} % dari ${n})`;
    case 'at_least_count': return `${who}: paling sedikit ${rule.bound} orang`;
    default: return `${who}: tidak boleh ada`;
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
export function matrixTable({ matrix, selected = null, onPick = null, caption = 'Matriks predikat kinerja pegawai' } = {}) {
  const cell = (r, b) => {
    const code = predicateFor(matrix, r, b);
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

/** The distribution rules of every organisational predicate (`served`: a distributionRules answer) as a
 * table, the one in force highlighted; the predicates the rules leave open are "bebas". */
export function distributionTable(current = null, served = null) {
  if (!served) return h('p', { class: 'muted', 'data-test': 'distribution-rules' }, 'Aturan distribusi tidak dapat dimuat saat ini.');
  const words = (code) => {
    const rules = rulesOf(served, code);
    const free = rules.some((rule) => rule.kind === 'at_least') ? [] : ['predikat lain bebas'];
    return [...rules.map(ruleText), ...free].join('; ');
  };
  return h('div', SCROLL_REGION, h('table', { 'data-test': 'distribution-rules' },
    h('caption', {}, 'Aturan distribusi predikat pegawai (SE MenPANRB 03/2023)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Predikat organisasi unit'), h('th', { scope: 'col' }, 'Aturan bagi predikat pegawainya'))),
    h('tbody', {}, ORG_PREDICATES.map((code) => h('tr', { class: code === current ? 'current' : '', 'data-org': code },
      h('th', { scope: 'row' }, predicateLabel(code), code === current ? h('span', { class: 'badge badge-info' }, ' berlaku') : null),
      h('td', {}, words(code)))))));
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
