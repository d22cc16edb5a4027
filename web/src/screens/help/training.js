// "Mode Latihan": how workshops use the resettable Kota Binjai demo data, and who to sign in as.
import { useStyles } from './common.js';

const STEPS = [
  ['Pegawai (Andi Pratama)', 'mencatat kegiatan hari ini, juga tanpa sinyal, lalu melihat statusnya.'],
  ['Pejabat penilai (Nurhayati Siregar)', 'memverifikasi kegiatan di Kotak Masuk, memberi umpan balik, mengisi dan menutup penilaian.'],
  ['Kepala unit (dr. Sri Wahyuni)', 'melihat dasbor berubah, menetapkan predikat organisasi dan mengkalibrasi.'],
  ['Admin BKPSDM (Rahmat Hidayat)', 'mencoba impor direktori (uji coba dulu), periode, webhook, dan antrean gagal.'],
];

export default async function render(root, { h, ui, training }) {
  useStyles();
  root.append(
    h('p', { class: training ? 'verdict ok' : 'muted', 'data-test': 'training-state' },
      training ? 'Mode Latihan aktif: semua data di sini adalah data demo Kota Binjai dan boleh diubah bebas.'
        : 'Sistem ini tidak dalam Mode Latihan: data di sini adalah data sungguhan.'),
    ui.guide('Mode Latihan menjalankan konsol yang sama di atas data demo Kota Binjai yang dapat diulang dari awal, sehingga OPD dapat '
      + 'mengadakan pelatihan tanpa menyentuh data sungguhan. Spanduk kuning "Mode Latihan" di atas layar menandainya.'),
    h('h2', {}, 'Alur pelatihan yang disarankan'),
    h('ol', {}, STEPS.map(([who, what]) => h('li', {}, h('strong', {}, who), `: ${what}`))),
    h('h2', {}, 'Mengulang dari awal'),
    h('p', {}, 'Sesudah sesi, operator mengembalikan data demo ke keadaan awal (lihat panduan operasi, "Training mode"). '
      + 'Peserta cukup keluar lalu masuk lagi.'));
}
