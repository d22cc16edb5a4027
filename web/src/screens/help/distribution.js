// "Aturan Distribusi Predikat": what SE MenPANRB 03/2023 allows in a unit given its organisational
// predicate, a calculator for a unit's size, and why a calibration can be blocked.
import { useStyles } from './common.js';
import { ORG_PREDICATES, boundText, distributionRules, distributionTable, roundingText, ruleText, rulesOf } from './rules.js';

/** The served rules (every organisational predicate) for a unit of `size`, or null when they cannot be asked. */
const rulesFor = (api, size) => distributionRules(api, size).catch(() => null);

export default async function render(root, { api, h, ui }) {
  useStyles();
  const served = await rulesFor(api, null);
  const policy = (served && served.rounding_policy) || 'literal';
  const org = h('select', { 'data-test': 'calc-org' }, ORG_PREDICATES.map((c) => h('option', { value: c, selected: c === 'BAIK' }, ui.predicateLabel(c))));
  const size = h('input', { type: 'number', min: 1, max: 5000, value: 10, inputmode: 'numeric', 'data-test': 'calc-size' });
  const result = h('ul', { 'aria-live': 'polite', 'data-test': 'calc-result' });
  let asking = 0;
  const update = async () => {
    const n = Math.max(1, Math.min(5000, Number(size.value) || 1));
    const mine = ++asking;
    const bounds = await rulesFor(api, n);
    if (mine !== asking) return; // a later input has asked since
    result.replaceChildren(...(bounds
      ? rulesOf(bounds, org.value).map((rule) => h('li', {}, boundText(rule, n)))
      : [h('li', { class: 'muted' }, 'Batas tidak dapat dihitung saat ini: server penilaian tidak dapat dihubungi.')]));
    result.dataset.for = `${org.value}/${n}`; // what the list answers (the service's bounds arrive after the input)
  };
  org.addEventListener('change', update);
  size.addEventListener('input', update);
  root.append(
    ui.guide('Sebaran predikat pegawai dalam satu unit dibatasi oleh predikat organisasi unit itu (SE MenPANRB No. 03 Tahun 2023). '
      + 'Aturan ini dicek saat kepala unit melakukan kalibrasi.'),
    distributionTable(null, served),
    h('h2', {}, 'Hitung untuk unit Anda'),
    h('div', { class: 'row' }, ui.field('calc-org', 'Predikat organisasi', org), ui.field('calc-size', 'Jumlah pegawai berpredikat', size)),
    result,
    h('p', { class: 'muted', 'data-test': 'rounding-policy', 'data-policy': policy },
      h('strong', {}, `Pembulatan yang berlaku (${policy === 'nearest' ? 'orang terdekat' : 'harfiah'}): `), roundingText(policy)),
    h('h2', {}, 'Mengapa kalibrasi bisa tertahan'),
    h('ul', {},
      h('li', {}, 'Predikat organisasi unit untuk periode itu belum ditetapkan. Predikat itu ditetapkan dari atas: untuk sub-unit oleh '
        + 'kepala (atau Plt./Plh. kepala) unit induknya, untuk OPD oleh PPK melalui admin BKPSDM; tidak pernah oleh kepala unit itu '
        + 'sendiri, karena predikat itu menjadi penilaian hasil kerjanya.'),
      h('li', {}, 'Masih ada penilaian yang terbuka: semua pejabat penilai perlu mengajukan penilaiannya dulu.'),
      h('li', {}, 'Ada aturan di atas yang dilanggar. Kepala unit membahasnya dengan pejabat penilai; penilaian yang sudah ditutup '
        + 'dibuka kembali oleh admin BKPSDM untuk dinilai ulang. Admin dapat memfinalkan dengan pengecualian yang dicatat alasannya.')),
    served ? h('p', {}, `Aturan yang berlaku untuk predikat Baik, misalnya: ${rulesOf(served, 'BAIK').map(ruleText).join('; ')}.`) : null,
    h('p', {}, h('a', { href: '#/bantuan/matriks' }, '← Cara predikat pegawai ditentukan')));
  await update();
}
