// "Notifikasi": my inbox, live (the shell's SSE stream), with mark-as-read.
export default async function render(root, { api, h, ui, refreshBadge }) {
  const onlyUnread = h('input', { type: 'checkbox' });
  const list = h('ul', { class: 'list', 'data-test': 'notifications', 'aria-live': 'polite' });
  const items = new Map();
  root.append(
    h('div', { class: 'actions' },
      h('label', { for: 'notif-unread' }, onlyUnread, ' Hanya yang belum dibaca'),
      h('button', { class: 'btn', type: 'button', 'data-test': 'read-all', onClick: async () => {
        try {
          await api.post('/api/v1/notifications/read-all', {});
          await load();
          refreshBadge();
        } catch (err) {
          root.append(ui.problemBox(err));
        }
      } }, 'Tandai semua dibaca')),
    list);
  onlyUnread.id = 'notif-unread';

  function row(n) {
    return h('li', { class: n.read ? '' : 'unread', 'data-test': 'notification', 'data-id': String(n.id), 'data-read': String(n.read) },
      h('div', { class: 'head' }, h('strong', {}, n.title), h('small', { class: 'muted' }, ui.formatDateTime(n.updated_at || n.created_at))),
      h('p', {}, n.body),
      n.count > 1 ? h('small', { class: 'muted' }, `${n.count} kejadian`) : null,
      n.read ? null : h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', 'data-test': 'mark-read', onClick: async (e) => {
        e.currentTarget.disabled = true;
        try {
          upsert(await api.post(`/api/v1/notifications/${n.id}/read`, {}));
          refreshBadge();
        } catch (err) {
          e.currentTarget.after(ui.problemBox(err));
        }
      } }, 'Tandai dibaca')));
  }

  function draw() {
    const shown = [...items.values()].filter((n) => !onlyUnread.checked || !n.read)
      .sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : b.id - a.id));
    list.replaceChildren(...(shown.length ? shown.map(row) : [h('li', { class: 'empty' }, 'Tidak ada notifikasi.')]));
  }

  function upsert(n) {
    const known = items.get(n.id);
    if (!known || (n.version || 0) >= (known.version || 0)) items.set(n.id, n);
    draw();
  }

  async function load() {
    try {
      const page = await api.get('/api/v1/notifications', { limit: 100 });
      items.clear();
      for (const n of page.items) items.set(n.id, n);
      draw();
      list.dataset.loaded = 'true';
    } catch (err) {
      list.replaceChildren(ui.problemBox(err));
    }
  }

  const live = (e) => upsert(e.detail);
  ui.listenWhileShown({ 'kinerja:notification': live });
  onlyUnread.addEventListener('change', draw);
  await load();
}
