/**
 * Resource and file names for imported flows: derived from the flow's name, valid as a Pulumi resource
 * name and as a file name on every file system (lower case, so case-insensitive file systems never see
 * two files that differ by case only), unique within one import, and stable: the same list of flows
 * gives the same names whatever order the vendor listed them in.
 */

/** Longest slug (before a collision suffix); resource names also name the `<name>-assets` child. */
export const MAX_SLUG_LENGTH = 60;

/** The flow name reduced to `[a-z0-9-]`: accents dropped, everything else a single `-`. */
export function slugOf(flowName: string): string {
  const ascii = flowName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  let slug = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug.length > MAX_SLUG_LENGTH) slug = slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, "");
  return slug || "flow";
}

/** Code-point order (not locale order: the same on every machine). */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One resource name per flow, keyed by flow id. Flows are taken in (name, id) order; the first flow of
 * a slug keeps it, later ones get `-2`, `-3`… (skipping suffixes another flow's slug already is).
 * `reserved` names are never handed out (e.g. names used by something else in the program).
 */
export function resourceNames(flows: readonly { id: string; name: string }[], reserved: Iterable<string> = []): Map<string, string> {
  const ordered = [...flows].sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.id, b.id));
  const taken = new Set<string>(reserved);
  // Natural slugs first, so a flow literally named "Sign up 2" keeps `sign-up-2` even when "Sign up" and "sign-up" collide.
  const natural = new Map(ordered.map((f) => [f.id, slugOf(f.name)]));
  const wanted = new Set<string>();
  const out = new Map<string, string>();
  for (const f of ordered) {
    const slug = natural.get(f.id)!;
    if (!taken.has(slug) && !wanted.has(slug)) {
      wanted.add(slug);
      out.set(f.id, slug);
    }
  }
  for (const name of wanted) taken.add(name);
  for (const f of ordered) {
    if (out.has(f.id)) continue;
    const slug = natural.get(f.id)!;
    let n = 2;
    while (taken.has(`${slug}-${n}`)) n++;
    const name = `${slug}-${n}`;
    taken.add(name);
    out.set(f.id, name);
  }
  return out;
}

/** A Pulumi project name from a directory name (letters, digits, `-`, `_`, `.`; 100 at most). */
export function projectNameOf(dirName: string): string {
  const name = dirName
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "")
    .slice(0, 100);
  return name || "whatsapp-flows-import";
}
