// The indicators of the employee's approved plan (activity-service), cached for offline use.
export async function loadIndicators(api, user, date = null) {
  const key = `kinerja.indicators.${user.nip}`;
  try {
    const page = await api.get('/api/v1/indicators', { nip: user.nip, date });
    localStorage.setItem(key, JSON.stringify(page.items));
    return { items: page.items, cached: false };
  } catch (err) {
    const cached = JSON.parse(localStorage.getItem(key) || 'null');
    if (cached && err.status === 0) return { items: cached, cached: true };
    throw err;
  }
}

export function indicatorName(items, id) {
  const found = items.find((i) => i.indicator_id === id);
  return found ? found.text : id;
}
