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
 * items: [{label, value, tone?, note?}] (value >= 0). Returns an <svg> drawn at its container's width:
 * one unit of the drawing is one CSS pixel, so its labels stay at the style sheet's 12 px on a phone
 * (a fixed viewBox shrunk to 330 px made them about 8 px). `max` fixes the scale (e.g. 100 for
 * percentages); by default the largest value.
 */
export function barChart(items, { title, max = null, unit = '', labelWidth = 130, width = 520, test = null } = {}) {
  const rowHeight = 30;
  const top = 8;
  const height = top + items.length * rowHeight + 4;
  const scaleMax = max || Math.max(1, ...items.map((i) => i.value));
  const summary = items.map((i) => `${i.label}: ${i.value}${unit}`).join(', ');
  const svg = el('svg', { class: 'chart', role: 'img', 'aria-label': `${title}. ${summary}` });
  if (test) svg.setAttribute('data-test', test);
  let drawn = 0;

  function draw(w) {
    drawn = w;
    const labelSpace = Math.min(labelWidth, Math.round(w * 0.42));
    const barSpace = Math.max(20, w - labelSpace - 60);
    const maxChars = Math.max(6, Math.floor((labelSpace - 10) / 6.5));
    svg.setAttribute('viewBox', `0 0 ${w} ${height}`);
    svg.setAttribute('height', String(height));
    svg.replaceChildren(el('title', {}, title));
    items.forEach((item, index) => {
      const y = top + index * rowHeight;
      const length = Math.round((Math.max(0, item.value) / scaleMax) * barSpace);
      const label = item.label.length > maxChars ? `${item.label.slice(0, maxChars - 1)}…` : item.label;
      const group = el('g', { 'data-label': item.label, 'data-value': item.value });
      group.append(el('title', {}, `${item.label}: ${item.value}${unit}${item.note ? ` (${item.note})` : ''}`));
      group.append(el('text', { x: labelSpace - 8, y: y + 18, 'text-anchor': 'end' }, label));
      group.append(el('rect', { x: labelSpace, y: y + 5, width: Math.max(length, item.value > 0 ? 2 : 0), height: rowHeight - 10, rx: 3,
        fill: TONES[item.tone] || TONES.info }));
      group.append(el('text', { x: labelSpace + length + 6, y: y + 18 }, `${item.value}${unit}`));
      svg.append(group);
    });
    svg.append(el('line', { x1: labelSpace, x2: labelSpace, y1: top, y2: height - 4, stroke: '#8a96a3' }));
  }

  draw(width);
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(([entry]) => {
      const w = Math.round(entry.contentRect.width);
      if (w > 0 && Math.abs(w - drawn) > 2) draw(w);
    }).observe(svg);
  }
  return svg;
}
