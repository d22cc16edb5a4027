// The deployment's working-day calendar where an employee logs (GET /api/v1/summaries/calendar: the
// days off of the edit window and the month ahead, and whether an entry on a day off is taken), kept
// on the device for offline use, and the note the logging screen shows for a day off.
const KEY = 'kinerja.calendar';

export async function loadCalendar(api) {
  try {
    const calendar = await api.get('/api/v1/summaries/calendar');
    localStorage.setItem(KEY, JSON.stringify(calendar));
    return calendar;
  } catch {
    try {
      return JSON.parse(localStorage.getItem(KEY) || 'null');
    } catch {
      return null;
    }
  }
}

/** The note for `date` (YYYY-MM-DD) when it is a day off: { text, refused }; null on a working day or unknown. */
export function dayOffNote(calendar, date) {
  if (!calendar || !date) return null;
  const off = calendar.days_off.find((d) => d.date === date);
  if (!off) return null;
  const what = off.holiday ? `hari libur (${off.holiday})` : 'akhir pekan, bukan hari kerja';
  const refused = calendar.non_working_day_entries === 'refuse';
  return {
    refused,
    text: refused
      ? `Tanggal ini ${what}. Instansi Anda tidak menerima kegiatan pada hari libur; pilih tanggal hari kerja.`
      : `Tanggal ini ${what}. Kegiatan tetap dapat dicatat dan ditandai untuk penilai.`,
  };
}
