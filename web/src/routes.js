// The screens of the console: #/<path>. roles: who sees the screen in the menu and may open it
// (null: everyone signed in). Roles are the token's (employee, supervisor, unit_head, admin) plus
// 'rater' for whoever has subordinates in the directory. Append new screens at the end of a group.
export const routes = [
  // Pegawai (every employee)
  { path: 'catat', title: 'Catat Kegiatan', roles: ['employee'], load: () => import('./screens/employee/log.js') },
  { path: 'kegiatan', title: 'Kegiatan Saya', roles: ['employee'], load: () => import('./screens/employee/entries.js') },
  { path: 'rencana', title: 'Rencana Kinerja (SKP)', roles: ['employee'], load: () => import('./screens/employee/plan.js') },
  { path: 'umpan-balik', title: 'Umpan Balik', roles: ['employee'], load: () => import('./screens/employee/feedback.js') },
  { path: 'penilaian', title: 'Penilaian & Predikat', roles: ['employee'], load: () => import('./screens/employee/evaluations.js') },
  { path: 'notifikasi', title: 'Notifikasi', roles: null, load: () => import('./screens/notifications.js') },
  { path: 'dialog', title: 'Dialog Kinerja', roles: ['employee', 'rater'], load: () => import('./screens/dialogues.js') },
  { path: 'realisasi', title: 'Realisasi Kinerja', roles: ['employee'], load: () => import('./screens/employee/realisation.js') },
  // Pejabat penilai (whoever has subordinates in the directory)
  { path: 'penilai/kotak-masuk', title: 'Kotak Masuk Penilai', roles: ['rater'], load: () => import('./screens/rater/inbox.js') },
  { path: 'penilai/penilaian', title: 'Penilaian Bawahan', roles: ['rater'], load: () => import('./screens/rater/evaluations.js') },
  { path: 'penilai/umpan-balik', title: 'Beri Umpan Balik', roles: ['rater'], load: () => import('./screens/rater/feedback.js') },
  { path: 'penilai/rencana-aksi', title: 'Rencana Aksi Bawahan', roles: ['rater'], load: () => import('./screens/rater/action_plans.js') },
  // Kepala unit
  { path: 'unit/dasbor', title: 'Dasbor Unit', roles: ['unit_head'], load: () => import('./screens/head/dashboard.js') },
  { path: 'unit/kalibrasi', title: 'Kalibrasi Predikat', roles: ['unit_head', 'admin'], load: () => import('./screens/head/calibration.js') },
  // Admin BKPSDM
  { path: 'admin/direktori', title: 'Impor Direktori', roles: ['admin'], load: () => import('./screens/admin/directory.js') },
  { path: 'admin/periode', title: 'Periode Penilaian', roles: ['admin'], load: () => import('./screens/admin/periods.js') },
  { path: 'admin/webhook', title: 'Langganan Webhook', roles: ['admin'], load: () => import('./screens/admin/webhooks.js') },
  { path: 'admin/dlq', title: 'Antrean Gagal (DLQ)', roles: ['admin'], load: () => import('./screens/admin/dlq.js') },
  { path: 'admin/siasn', title: 'Kiriman SIASN', roles: ['admin'], load: () => import('./screens/admin/siasn.js') },
  // Bantuan (everyone)
  { path: 'bantuan/matriks', title: 'Cara Predikat Ditentukan', roles: null, load: () => import('./screens/help/matrix.js') },
  { path: 'bantuan/distribusi', title: 'Aturan Distribusi Predikat', roles: null, load: () => import('./screens/help/distribution.js') },
  { path: 'bantuan/latihan', title: 'Mode Latihan', roles: null, load: () => import('./screens/help/training.js') },
];
