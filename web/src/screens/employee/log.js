// "Catat Kegiatan": log today's activities in a few taps, online or offline.
import { enqueue, entries, newId, discard, sync } from '../../offline.js';
import { loadIndicators, indicatorName } from './indicators.js';
import { loadCalendar, dayOffNote } from './workdays.js';
import { loadAgreedActions, periodContains, periodLabel } from './agreed_actions.js';

const SYNC_STATE = { queued: 'queued', sent: 'sent', refused: 'refused' };

export default async function render(root, { api, h, ui, user }) {
  let indicators = [];
  let actions = [];  // the agreed action plans (rencana aksi): choosing one sets the indicator
  const problemSlot = h('div', { 'aria-live': 'polite' });
  const onlineState = h('p', { class: 'online-state', 'data-test': 'online-state', role: 'status' });
  const showOnline = () => {
    onlineState.textContent = navigator.onLine ? 'Terhubung: kegiatan langsung dikirim.'
      : 'Sedang luring (offline): kegiatan disimpan di perangkat dan dikirim otomatis saat jaringan kembali.';
    onlineState.classList.toggle('off', !navigator.onLine);
  };
  showOnline();

  const indicator = h('select', { required: true, name: 'indicator_id' });
  const date = h('input', { type: 'date', required: true, value: ui.todayIso(), max: ui.todayIso() });
  const start = h('input', { type: 'time', required: true, value: '08:00' });
  const end = h('input', { type: 'time', required: true, value: '09:00' });
  const description = h('textarea', { required: true, maxlength: 2000, placeholder: 'Contoh: Melayani 12 pasien di poli umum' });
  // The service's bounds (kinerja_shared.numbers): 0 to 10,000 per entry (the service rounds to two decimals).
  const quantity = h('input', { type: 'number', min: '0', max: '10000', step: 'any', required: true, value: '1', inputmode: 'decimal' });
  // The unit is the chosen indicator's (the service refuses another one): shown, never typed.
  const unit = h('input', { type: 'text', readonly: true, tabindex: '-1', 'data-test': 'log-unit', placeholder: 'dari indikator' });
  const measureHint = h('p', { class: 'muted', 'data-test': 'log-measure-hint', 'aria-live': 'polite' });
  const camera = h('input', { type: 'file', accept: 'image/*', capture: 'environment' });
  const file = h('input', { type: 'file', accept: 'image/*,application/pdf' });
  const save = h('button', { class: 'btn btn-primary', type: 'submit', 'data-test': 'log-submit' }, 'Simpan Kegiatan');

  // A day off (weekend or holiday of the deployment's calendar) is said where the date is chosen.
  let calendar = null;
  const dayNote = h('p', { class: 'day-note', 'data-test': 'day-note', role: 'status', hidden: true });
  const showDayNote = () => {
    const note = dayOffNote(calendar, date.value);
    dayNote.hidden = !note;
    dayNote.textContent = note ? note.text : '';
    dayNote.classList.toggle('refused', Boolean(note && note.refused));
  };
  date.addEventListener('change', showDayNote);
  date.addEventListener('input', showDayNote);

  const chosenIndicator = () => indicators.find((i) => i.indicator_id === indicator.value) || null;
  const showUnit = () => {
    const chosen = chosenIndicator();
    unit.value = (chosen && chosen.target_unit) || '';
    measureHint.textContent = chosen ? measureText(chosen) : '';
  };
  indicator.addEventListener('change', showUnit);

  const action = h('select', { name: 'action_id', 'data-test': 'log-action' });
  const showActions = () => {
    const chosen = action.value;
    const usable = actions.filter((a) => periodContains(a.period, date.value));
    action.replaceChildren(h('option', { value: '' }, usable.length ? '— tanpa rencana aksi —' : 'Tidak ada rencana aksi untuk tanggal ini'),
      ...usable.map((a) => h('option', { value: a.action_id }, `${a.text} (${periodLabel(a.period)})`)));
    action.value = usable.some((a) => a.action_id === chosen) ? chosen : '';
  };
  action.addEventListener('change', () => {
    const chosen = actions.find((a) => a.action_id === action.value);
    if (!chosen) return;
    indicator.value = chosen.indicator_id;
    indicator.dispatchEvent(new Event('change'));
  });
  date.addEventListener('change', showActions);
  indicator.addEventListener('change', () => {  // another indicator than the action's: no action
    const picked = actions.find((a) => a.action_id === action.value);
    if (picked && picked.indicator_id !== indicator.value) action.value = '';
  });


  const form = h('form', { class: 'card', novalidate: true, 'data-test': 'log-form', onSubmit: async (e) => {
    e.preventDefault();
    problemSlot.replaceChildren();
    const errors = [];
    if (!indicator.value) errors.push({ field: 'indicator_id', message: 'pilih indikator dari SKP yang disetujui' });
    if (!date.value) errors.push({ field: 'date', message: 'isi tanggal kegiatan' });
    if (!start.value || !end.value || end.value <= start.value) errors.push({ field: 'end_time', message: 'jam selesai harus setelah jam mulai' });
    if (!description.value.trim()) errors.push({ field: 'description', message: 'tuliskan apa yang Anda kerjakan' });
    if (quantity.value === '' || !(Number(quantity.value) >= 0 && Number(quantity.value) <= 10000)) errors.push({ field: 'quantity', message: 'isi jumlah hasil dari 0 sampai 10.000 per catatan' });
    const evidence = camera.files[0] || file.files[0] || null;
    if (evidence && evidence.size > 10 * 1024 * 1024) errors.push({ field: 'file', message: 'berkas paling besar 10 MB' });
    if (errors.length) {
      problemSlot.append(ui.problemBox({ status: 422, problem: { errors } }));
      return;
    }
    save.disabled = true;
    try {
      await enqueue({
        id: newId(), date: date.value, start_time: start.value, end_time: end.value, indicator_id: indicator.value,
        ...(action.value ? { action_id: action.value } : {}), description: description.value.trim(), quantity: Number(quantity.value), quantity_unit: (chosenIndicator() || {}).target_unit || null,
        evidence: [],
      }, evidence);
      ui.toast(navigator.onLine ? 'Kegiatan disimpan dan sedang dikirim.' : 'Kegiatan disimpan di perangkat; dikirim saat jaringan kembali.');
      description.value = '';
      camera.value = '';
      file.value = '';
      start.value = end.value;
      end.value = nextHour(end.value);
      description.focus();
    } finally {
      save.disabled = false;
    }
  } },
  ui.field('log-action', 'Rencana aksi (opsional)', action, 'Memilih aksi mengisi indikatornya.'),
  ui.field('log-indicator', 'Indikator SKP', indicator, 'Kegiatan dihitung ke indikator ini dalam penilaian.'),
  h('div', { class: 'row' }, ui.field('log-date', 'Tanggal', date), ui.field('log-start', 'Mulai', start), ui.field('log-end', 'Selesai', end)),
  dayNote,
  ui.field('log-description', 'Uraian kegiatan', description),
  h('div', { class: 'row' }, ui.field('log-quantity', 'Jumlah hasil', quantity),
    ui.field('log-unit', 'Satuan (dari indikator)', unit)),
  measureHint,
  h('div', { class: 'row' }, ui.field('log-camera', 'Foto bukti (kamera)', camera), ui.field('log-file', 'Atau pilih berkas (foto/PDF)', file)),
  problemSlot,
  h('div', { class: 'actions' }, save));

  const queueList = h('ul', { class: 'list', 'data-test': 'queue' });
  root.append(
    ui.guide('Catat kegiatan setiap hari, cukup beberapa ketukan: pilih indikator, isi jam dan uraian singkat, lalu lampirkan foto '
      + 'atau berkas sebagai bukti dukung. Atasan Anda memverifikasi kegiatan ini; yang diterima menjadi realisasi SKP Anda.'),
    onlineState, form, h('h2', {}, 'Kegiatan yang baru dicatat'), queueList);

  async function showQueue() {
    const rows = (await entries()).slice(0, 20);
    queueList.replaceChildren(...(rows.length ? rows.map((r) => h('li', { 'data-test': 'queue-item', 'data-id': r.id, 'data-state': r.state },
      h('div', { class: 'head' }, h('strong', {}, `${ui.formatDate(r.body.date)} ${r.body.start_time}–${r.body.end_time}`),
        ui.statusBadge(SYNC_STATE[r.state], 'sync-state')),
      h('div', {}, r.body.description),
      h('small', { class: 'muted' }, indicatorName(indicators, r.body.indicator_id)),
      r.state === 'refused' ? h('p', { class: 'reason', 'data-test': 'refusal' }, `Alasan: ${r.reason || '-'}`,
        (r.errors || []).map((e) => h('span', {}, ` · ${ui.fieldName(e.field)}: ${ui.fieldMessage(e)}`))) : null,
      r.reason && r.state === 'sent' ? h('p', { class: 'reason' }, r.reason) : null,
      r.state === 'refused' ? h('div', { class: 'actions' }, h('button', { class: 'btn btn-danger', type: 'button',
        onClick: () => discard(r.id) }, 'Hapus dari daftar')) : null))
      : [h('li', { class: 'empty' }, 'Belum ada kegiatan yang dicatat dari perangkat ini.')]));
  }

  const onOutbox = () => showQueue();
  const onNet = () => { showOnline(); if (navigator.onLine) sync(); };
  ui.listenWhileShown({ 'kinerja:outbox': onOutbox, online: onNet, offline: onNet });

  loadCalendar(api).then((loaded) => { calendar = loaded; showDayNote(); });
  try {
    const loaded = await loadIndicators(api, user);
    indicators = loaded.items;
    if (loaded.cached) root.insertBefore(ui.guide('Daftar indikator diambil dari simpanan perangkat (luring).'), form);
  } catch (err) {
    root.insertBefore(ui.problemBox(err), form);
  }
  indicator.replaceChildren(h('option', { value: '' }, indicators.length ? '— pilih indikator —' : 'Belum ada SKP yang disetujui'),
    ...indicators.map((i) => h('option', { value: i.indicator_id }, `${i.text} (${i.result_text})`)));
  if (indicators.length === 1) indicator.value = indicators[0].indicator_id;
  showUnit();
  actions = await loadAgreedActions(api, user, Number(ui.todayIso().slice(0, 4)));
  showActions();
  await showQueue();
}

// What "Jumlah hasil" means for the indicator's measure (realisation per aspect).
function measureText(i) {
  const unit = i.target_unit || '';
  const measure = i.measure || { quantity: 'sum', quality: 'average', time: 'duration', cost: 'spent' }[i.aspect] || 'sum';
  return {
    sum: `Isi berapa ${unit} yang dihasilkan kegiatan ini; jumlahnya ditambahkan ke realisasi.`,
    latest: `Isi tingkat yang terukur (mis. 95 untuk 95 ${unit}); yang terakhir dibandingkan dengan target ${i.target_value ?? ''} ${unit}.`,
    average: `Isi tingkat yang terukur (mis. 95 untuk 95 ${unit}); rata-rata periode dibandingkan dengan target ${i.target_value ?? ''} ${unit}.`,
    duration: `Isi lama waktu yang dibutuhkan, dalam ${unit}; makin singkat makin baik.`,
    deadline: `Isi 1 untuk setiap penyerahan; tepat waktu bila paling lambat tanggal ${i.deadline_day ?? '-'} setiap bulan.`,
    spent: `Isi jumlah yang dibelanjakan, dalam ${unit}; makin hemat (dengan mutu yang sama) makin baik.`,
  }[measure] || '';
}

function nextHour(time) {
  const [hh, mm] = time.split(':').map(Number);
  return `${String(Math.min(hh + 1, 23)).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
