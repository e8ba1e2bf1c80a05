// A few DOM helpers instead of a framework: every text goes in through
// textContent, so chain data (titles, names, prompts) can never inject markup.

type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, ...children);
  return el;
}

// Elements whose content must stay plain text.
const PLAIN = new Set(["OPTION", "TITLE", "TEXTAREA", "SCRIPT", "STYLE"]);

export function append(el: Element, ...children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (typeof c === "string" && !PLAIN.has(el.tagName)) el.append(...keepWords(c));
    else el.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/**
 * Text whose hyphenated words ("iris-mlp", "--node") are each one
 * unbreakable span: a phone wraps between words, never at a word's hyphen.
 * The text content is unchanged.
 */
export function keepWords(s: string): Node[] {
  if (!/\S-/.test(s)) return [document.createTextNode(s)];
  const out: Node[] = [];
  for (const part of s.split(/(\s+)/)) {
    if (part === "") continue;
    if (/\S-|-\S/.test(part)) {
      const span = document.createElement("span");
      span.className = "nowrap";
      span.textContent = part;
      out.push(span);
    } else out.push(document.createTextNode(part));
  }
  return out;
}

/**
 * A table with a header row; `rows` are cells already built. On a phone it
 * becomes a stack of cards (each cell labelled with its column, from
 * data-label); in between, where it is still too wide, it scrolls inside its
 * own box and says so (the "scrolls" class shows a cue).
 */
export function table(caption: string, head: string[], rows: Child[][], testid?: string): HTMLElement {
  const t = h(
    "table",
    { "data-testid": testid, class: "cards" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, i) => h("td", { "data-label": head[i] ?? "" }, c))))),
  );
  const wrap = h("div", { class: "table-wrap" }, t, h("p", { class: "scroll-cue", "aria-hidden": "true" }, "Scroll sideways for more →"));
  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(() => wrap.classList.toggle("scrolls", t.scrollWidth > wrap.clientWidth + 1)).observe(wrap);
  }
  return wrap;
}

export function errorBox(message: string): HTMLElement {
  return h("p", { class: "error", role: "alert" }, message);
}
