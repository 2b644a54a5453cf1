// The forms of a page as the server rendered them: where each posts, its fields with their default values
// (what a browser would send unchanged), and the other values each field offers (options, radio buttons,
// submit buttons' intents). The fuzzing starts from these. The markup is React's own, so a few regular
// expressions read it; no HTML parser is a dependency of the project, and this is not worth adding one.

export type PageForm = {
  method: "get" | "post";
  /** The action attribute as written ("/coach/cohorts?index"), or null for "this page". */
  action: string | null;
  /** What the browser sends when the form is submitted as rendered (the first named submit button pressed). */
  fields: [string, string][];
  /** Every value the page offers for each field name (inputs, options, checkboxes, buttons). */
  choices: Map<string, Set<string>>;
  /** What each field is: an input's type ("hidden", "number", "date"…), or "select", "textarea", "submit". */
  kinds: Map<string, string>;
};

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, code: string) => {
    if (code[0] === "#") return String.fromCodePoint(code[1].toLowerCase() === "x" ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/\s([\w:-]+)(?:="([^"]*)")?/g)) found.set(m[1].toLowerCase(), decode(m[2] ?? ""));
  return found;
}

export function pageForms(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const [, open, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(open);
    const fields: [string, string][] = [];
    const choices = new Map<string, Set<string>>();
    const kinds = new Map<string, string>();
    const offer = (name: string, value: string) => (choices.get(name) ?? choices.set(name, new Set()).get(name)!).add(value);
    let pressed = false;
    for (const m of inner.matchAll(/<(input|button|select|textarea)\b([^>]*)>(?:([\s\S]*?)<\/\1>)?/gi)) {
      const kind = m[1].toLowerCase();
      const a = attributes(m[2]);
      const name = a.get("name");
      if (!name || a.has("disabled")) continue;
      const type = (a.get("type") ?? (kind === "button" ? "submit" : "text")).toLowerCase();
      if (!kinds.has(name)) kinds.set(name, kind === "select" || kind === "textarea" ? kind : type);
      if (kind === "select") {
        const options = [...(m[3] ?? "").matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => {
          const oa = attributes(o[1]);
          return { value: oa.get("value") ?? decode(o[2]), selected: oa.has("selected") };
        });
        for (const o of options) offer(name, o.value);
        const chosen = options.find((o) => o.selected) ?? options[0];
        if (chosen) fields.push([name, chosen.value]);
      } else if (kind === "textarea") {
        const value = decode(m[3] ?? "");
        offer(name, value);
        fields.push([name, value]);
      } else if (type === "submit" || kind === "button") {
        const value = a.get("value") ?? "";
        offer(name, value);
        if (!pressed) fields.push([name, value]);
        pressed = true;
      } else if (type === "checkbox" || type === "radio") {
        const value = a.get("value") ?? "on";
        offer(name, value);
        if (a.has("checked")) fields.push([name, value]);
      } else if (!["file", "image", "reset"].includes(type)) {
        const value = a.get("value") ?? "";
        offer(name, value);
        fields.push([name, value]);
      }
    }
    forms.push({
      method: (attrs.get("method") ?? "get").toLowerCase() === "post" ? "post" : "get",
      action: attrs.get("action") ?? null,
      fields,
      choices,
      kinds,
    });
  }
  return forms;
}

/** The query parameter names of the page's links back to `pathname` (filters, pages, weeks). */
export function linkQueryNames(html: string, pathname: string): string[] {
  const names = new Set<string>();
  for (const [, href] of html.matchAll(/\shref="([^"]*)"/g)) {
    const url = new URL(decode(href), "http://x");
    if (url.pathname === pathname) for (const key of url.searchParams.keys()) names.add(key);
  }
  return [...names];
}
