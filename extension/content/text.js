// The text of a reply editor as the linter reads it, and the way back from its offsets to the page: for a
// <textarea> its value and a mirror of its layout (for the underlines' boxes), for a contenteditable
// editor a walk of its DOM that reads it the way the browser's innerText does (a <br> or a block is a
// line break, a paragraph a blank line, runs of spaces collapse where CSS collapses them) while keeping,
// for every character, the DOM position it came from. Nothing here writes to the editor.
"use strict";

(() => {
  if (globalThis.empathylintText) return;

  const BLOCKS = new Set(["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIELDSET",
    "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN",
    "NAV", "OL", "P", "PRE", "SECTION", "TABLE", "TR", "UL"]);
  const PARAGRAPHS = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "UL", "OL", "TABLE", "PRE"]);
  const SKIPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);
  const COLLAPSIBLE = /[ \t\n\r\f]/;

  // The service counts code points; the DOM counts UTF-16 units. Returns code point index -> unit index.
  function unitsOf(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
    const units = [];
    let unit = 0;
    for (const ch of text) {
      units.push(unit);
      unit += ch.length;
    }
    units.push(unit);
    return (i) => units[Math.min(i, units.length - 1)];
  }

  // ---- contenteditable -----------------------------------------------------------------------------
  // A snapshot: `text`, and `segments` in text order: a text node's characters ({node, start, end, map}:
  // map[i] is the node offset of character start+i, and map[end-start] the offset after the last one; no
  // map when they are the node's own offsets one for one), or a line break that no text node holds
  // ({node: null, start, end, container, index}: the DOM boundary it stands for).
  function snapshot(root, exclude = "") {
    const out = [];
    const segments = [];
    let length = 0;
    const pre = new Map();

    const ends = (n) => {
      let k = 0;
      while (k < n && out.length - 1 - k >= 0 && out[out.length - 1 - k] === "\n") k++;
      return k;
    };
    const newline = (container, index) => {
      segments.push({ node: null, start: length, end: length + 1, container, index });
      out.push("\n");
      length += 1;
    };
    const breakTo = (n, container, index) => {
      if (!length) return;
      for (let k = ends(n); k < n; k++) newline(container, index);
    };
    const preserves = (element) => {
      let found = pre.get(element);
      if (found === undefined) {
        const space = element.ownerDocument.defaultView.getComputedStyle(element).whiteSpace;
        found = space.startsWith("pre") || space === "break-spaces";
        pre.set(element, found);
      }
      return found;
    };
    const text = (node) => {
      const data = node.data;
      if (!data) return;
      if (preserves(node.parentElement)) {
        segments.push({ node, start: length, end: length + data.length, map: null });
        out.push(data.replace(/\u00a0/g, " "));
        length += data.length;
        return;
      }
      const map = [];
      let chars = "";
      for (let i = 0; i < data.length; i++) {
        const ch = data[i];
        if (COLLAPSIBLE.test(ch)) {
          const last = chars ? chars[chars.length - 1] : out.length ? out[out.length - 1].slice(-1) : "\n";
          if (last === " " || last === "\n") continue;
          chars += " ";
        } else {
          chars += ch === "\u00a0" ? " " : ch;
        }
        map.push(i);
      }
      if (!chars) return;
      map.push(map[map.length - 1] + 1);
      segments.push({ node, start: length, end: length + chars.length, map });
      out.push(chars);
      length += chars.length;
    };
    const walk = (element) => {
      for (let child = element.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          text(child);
          continue;
        }
        if (child.nodeType !== 1 || SKIPPED.has(child.tagName)) continue;
        if (exclude && child.matches(exclude)) continue;
        const index = Array.prototype.indexOf.call(element.childNodes, child);
        if (child.tagName === "BR") {
          newline(element, index);
          continue;
        }
        const block = BLOCKS.has(child.tagName);
        const gap = PARAGRAPHS.has(child.tagName) ? 2 : 1;
        if (block) breakTo(gap, element, index);
        walk(child);
        if (block) breakTo(gap, element, index + 1);
      }
    };
    walk(root);
    // A trailing line break is the editor's empty last line, not part of the reply.
    let joined = out.join("");
    while (joined.endsWith("\n") && segments.length && segments[segments.length - 1].node === null) {
      segments.pop();
      joined = joined.slice(0, -1);
    }
    return { text: joined, segments };
  }

  function nodeOffset(segment, offset) {
    const i = offset - segment.start;
    return segment.map ? segment.map[i] : i;
  }

  // The DOM boundary of text offset `offset`; `atEnd` picks the segment that ends there over the one
  // that starts there (the end of a range rather than its start).
  function domPosition(snap, offset, atEnd = false) {
    const { segments } = snap;
    const inside = atEnd ? (seg) => seg.start < offset && offset <= seg.end
                         : (seg) => seg.start <= offset && offset < seg.end;
    const seg = segments.find((s) => s.node && inside(s)) ?? segments.find(inside);
    if (!seg) {
      const last = segments[segments.length - 1];
      if (!last) return null;
      return last.node ? [last.node, nodeOffset(last, last.end)] : [last.container, last.index];
    }
    if (seg.node) return [seg.node, nodeOffset(seg, offset)];
    return [seg.container, offset === seg.start ? seg.index : seg.index + 1];
  }

  function rangeOf(snap, start, end) {
    const from = domPosition(snap, start);
    const to = domPosition(snap, end, true);
    if (!from || !to) return null;
    const range = from[0].ownerDocument.createRange();
    range.setStart(...from);
    range.setEnd(...to);
    return range;
  }

  // The text offset of a DOM boundary (where the caret is).
  function offsetOf(snap, node, offset) {
    for (const seg of snap.segments) {
      if (seg.node !== node) continue;
      if (!seg.map) return seg.start + Math.min(offset, seg.end - seg.start);
      const i = seg.map.findIndex((o) => o >= offset);
      return seg.start + (i === -1 ? seg.end - seg.start : i);
    }
    const point = node.ownerDocument.createRange();
    point.setStart(node, offset);
    for (const seg of snap.segments) {
      if (seg.node && point.comparePoint(seg.node, 0) > 0) return seg.start;
    }
    return snap.text.length;
  }

  // The boxes of characters [start, end), one set per text node so a span over a line break is no block.
  function editableRects(snap, start, end) {
    const rects = [];
    for (const seg of snap.segments) {
      if (!seg.node || seg.end <= start || seg.start >= end) continue;
      const range = seg.node.ownerDocument.createRange();
      range.setStart(seg.node, nodeOffset(seg, Math.max(start, seg.start)));
      range.setEnd(seg.node, nodeOffset(seg, Math.min(end, seg.end)));
      for (const r of range.getClientRects()) if (r.width > 0.5) rects.push(r);
    }
    return rects;
  }

  // ---- textarea ------------------------------------------------------------------------------------
  // A mirror: an invisible element laid out like the textarea (its font, padding, border, wrapping and
  // scroll position) over the same place, holding the same text, whose Range boxes are the characters'.
  const MIRRORED = ["boxSizing", "width", "height", "fontFamily", "fontSize", "fontWeight", "fontStyle",
    "fontVariant", "fontStretch", "fontKerning", "fontFeatureSettings", "letterSpacing", "wordSpacing",
    "lineHeight", "textTransform", "textIndent", "tabSize", "direction", "paddingTop", "paddingRight",
    "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth",
    "borderLeftWidth", "borderTopStyle", "borderRightStyle", "borderBottomStyle", "borderLeftStyle",
    "overflowWrap", "wordBreak", "whiteSpace"];

  class TextareaMirror {
    constructor(textarea, parent) {
      this.textarea = textarea;
      this.element = parent.ownerDocument.createElement("div");
      this.element.className = "mirror";
      this.node = parent.ownerDocument.createTextNode("");
      this.element.append(this.node);
      parent.append(this.element);
    }

    sync() {
      const ta = this.textarea;
      const style = ta.ownerDocument.defaultView.getComputedStyle(ta);
      const m = this.element.style;
      for (const key of MIRRORED) m[key] = style[key];
      if (!style.whiteSpace.startsWith("pre")) m.whiteSpace = "pre-wrap";
      m.borderColor = "transparent";
      const box = ta.getBoundingClientRect();
      m.left = `${box.left}px`;
      m.top = `${box.top}px`;
      m.width = `${box.width}px`;
      m.height = `${box.height}px`;
      m.boxSizing = "border-box";
      // The textarea's scrollbar narrows its text; the mirror has none, so it gives the same width as padding.
      const bar = ta.offsetWidth - ta.clientWidth - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
      if (bar > 0) m.paddingRight = `${parseFloat(style.paddingRight) + bar}px`;
      if (this.node.data !== ta.value + "\u200b") this.node.data = ta.value + "\u200b";
      this.element.scrollTop = ta.scrollTop;
      this.element.scrollLeft = ta.scrollLeft;
    }

    rects(start, end) {
      const range = this.node.ownerDocument.createRange();
      range.setStart(this.node, Math.min(start, this.node.length));
      range.setEnd(this.node, Math.min(end, this.node.length));
      return [...range.getClientRects()].filter((r) => r.width > 0.5);
    }

    remove() {
      this.element.remove();
    }
  }

  globalThis.empathylintText = Object.freeze({ unitsOf, snapshot, domPosition, rangeOf, offsetOf, editableRects,
                                               TextareaMirror });
})();
