// "Umpan Balik": the continuous feedback my rater gave me, newest first.
const VALUES = { service: 'Berorientasi Pelayanan', accountable: 'Akuntabel', competent: 'Kompeten', harmonious: 'Harmonis',
  loyal: 'Loyal', adaptive: 'Adaptif', collaborative: 'Kolaboratif' };

export default async function render(root, { api, h, ui, user }) {
  root.append(ui.guide('Umpan balik dari atasan membantu Anda memperbaiki kinerja sebelum penilaian. Semua umpan balik juga tampil di formulir penilaian berikutnya.'));
  try {
    const page = await api.get('/api/v1/feedback', { nip: user.nip, limit: 100 });
    root.append(page.items.length ? h('ul', { class: 'list', 'data-test': 'feedback' }, page.items.map((f) => h('li', { 'data-test': 'feedback-item' },
      h('div', { class: 'head' }, h('strong', {}, f.behaviour_value ? `Perilaku: ${VALUES[f.behaviour_value] || f.behaviour_value}`
        : f.result_id ? 'Hasil kerja' : 'Umum'), h('small', { class: 'muted' }, ui.formatDateTime(f.given_at))),
      h('p', {}, f.text)))) : ui.empty('Belum ada umpan balik.'));
  } catch (err) {
    root.append(ui.problemBox(err));
  }
}
