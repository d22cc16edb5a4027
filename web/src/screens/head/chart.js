// A horizontal bar chart as inline SVG (no library): one bar per item, its value written next to it.
// Screen readers get the figures from the aria-label and a <title> per bar.
const NS = 'http://www.w3.org/2000/svg';
const TONES = { ok: '#146c2e', warn: '#a86400', bad: '#a4161a', info: '#0b4f8a' };

function el(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

/**
 * items: [{label, value, tone?, note?}] (value >= 0). Returns an <svg> scaled to its container.
 * `max` fixes the scale (e.g. 100 for percentages); by default the largest value.
 */
export function barChart(items, { title, max = null, unit = '', labelWidth = 130, width = 520, test = null } = {}) {
  const rowHeight = 30;
  const top = 8;
  const height = top + items.length * rowHeight + 4;
  const scaleMax = max || Math.max(1, ...items.map((i) => i.value));
  const barSpace = width - labelWidth - 60;
  const summary = items.map((i) => `${i.label}: ${i.value}${unit}`).join(', ');
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': `${title}. ${summary}` });
  if (test) svg.setAttribute('data-test', test);
  svg.append(el('title', {}, title));
  items.forEach((item, index) => {
    const y = top + index * rowHeight;
    const length = Math.round((Math.max(0, item.value) / scaleMax) * barSpace);
    const group = el('g', { 'data-label': item.label, 'data-value': item.value });
    group.append(el('title', {}, `${item.label}: ${item.value}${unit}${item.note ? ` (${item.note})` : ''}`));
    group.append(el('text', { x: labelWidth - 8, y: y + 18, 'text-anchor': 'end' }, item.label));
    group.append(el('rect', { x: labelWidth, y: y + 5, width: Math.max(length, item.value > 0 ? 2 : 0), height: rowHeight - 10, rx: 3,
      fill: TONES[item.tone] || TONES.info }));
    group.append(el('text', { x: labelWidth + length + 6, y: y + 18 }, `${item.value}${unit}`));
    svg.append(group);
  });
  svg.append(el('line', { x1: labelWidth, x2: labelWidth, y1: top, y2: height - 4, stroke: '#8a96a3' }));
  return svg;
}
