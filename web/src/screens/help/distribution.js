// "Aturan Distribusi Predikat": what SE MenPANRB 03/2023 allows in a unit given its organisational
// predicate, a calculator for a unit's size, and why a calibration can be blocked.
import { useStyles } from './common.js';
import { DISTRIBUTION, ORG_PREDICATES, distributionTable, maxAllowed, minRequired, roundingText } from './rules.js';

export { maxAllowed, minRequired };

const BOUNDS = {
  ISTIMEWA: [['Sangat Baik', 'max', 70]],
  BAIK: [['Baik', 'max', 70], ['Butuh Perbaikan atau Kurang/Misconduct', 'count', 1]],
  BUTUH_PERBAIKAN: [['Butuh Perbaikan', 'min', 60], ['Sangat Baik', 'max', 10]],
  KURANG: [['Kurang/Misconduct', 'min', 60], ['Butuh Perbaikan', 'min', 10], ['Sangat Baik', 'max', 10]],
  SANGAT_KURANG: [['Sangat Kurang', 'min', 60], ['Kurang/Misconduct ditambah Butuh Perbaikan', 'min', 10], ['Sangat Baik', 'none', 0]],
};

/** The deployment's rounding policy, as evaluation-service says (GET /periods); literal when it cannot be asked. */
async function roundingPolicy(api, ui) {
  try {
    const answer = await api.get('/api/v1/periods', { year: Number(ui.todayIso().slice(0, 4)) });
    return answer.distribution_rounding || 'literal';
  } catch {
    return 'literal';
  }
}

export default async function render(root, { api, h, ui }) {
  useStyles();
  const policy = await roundingPolicy(api, ui);
  const org = h('select', { 'data-test': 'calc-org' }, ORG_PREDICATES.map((c) => h('option', { value: c, selected: c === 'BAIK' }, ui.predicateLabel(c))));
  const size = h('input', { type: 'number', min: 1, max: 5000, value: 10, inputmode: 'numeric', 'data-test': 'calc-size' });
  const result = h('ul', { 'aria-live': 'polite', 'data-test': 'calc-result' });
  const update = () => {
    const n = Math.max(1, Math.min(5000, Number(size.value) || 1));
    result.replaceChildren(...BOUNDS[org.value].map(([who, kind, pct]) => h('li', {},
      kind === 'max' ? `${who}: paling banyak ${maxAllowed(pct, n, policy)} orang (${pct} % dari ${n})`
        : kind === 'min' ? `${who}: paling sedikit ${minRequired(pct, n, policy)} orang (${pct} % dari ${n})`
          : kind === 'count' ? `${who}: paling sedikit ${pct} orang`
            : `${who}: tidak boleh ada`)));
  };
  org.addEventListener('change', update);
  size.addEventListener('input', update);
  root.append(
    ui.guide('Sebaran predikat pegawai dalam satu unit dibatasi oleh predikat organisasi unit itu (SE MenPANRB No. 03 Tahun 2023). '
      + 'Aturan ini dicek saat kepala unit melakukan kalibrasi.'),
    distributionTable(),
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
    h('p', {}, `Aturan yang berlaku untuk predikat Baik, misalnya: ${DISTRIBUTION.BAIK.join('; ')}.`),
    h('p', {}, h('a', { href: '#/bantuan/matriks' }, '← Cara predikat pegawai ditentukan')));
  update();
}
