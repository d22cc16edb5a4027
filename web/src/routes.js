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
];
