/**
 * Every relative link in README.md and docs/**\/*.md points at a file that exists, and a link to a
 * heading of a Markdown file (#anchor) names a heading that file has (GitHub's slugs) or an explicit
 * <a id="…">. External links (http:, https:, mailto:) are not fetched: the tests run offline.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith(".md") ? [full] : [];
  });
}

/** The text outside fenced and inline code, where a link really is a link. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutCode(markdown.replace(/`([^`\n]*)`/g, "$1")).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

/** [text](target) and ![alt](target), with an optional "title"; <autolinks> are always external. */
function linksOf(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
}

const files = [path.join(ROOT, "README.md"), ...markdownFiles(path.join(ROOT, "docs"))];

describe("documentation links", () => {
  it("finds the README and the docs", () => {
    assert.ok(files.length > 2, `only ${files.length} Markdown files found`);
  });

  for (const file of files) {
    it(`every relative link in ${path.relative(ROOT, file)} resolves`, () => {
      const broken: string[] = [];
      for (const link of linksOf(readFileSync(file, "utf8"))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
        const [rawTarget, anchor] = link.split("#", 2);
        const target = rawTarget ? path.resolve(path.dirname(file), decodeURIComponent(rawTarget)) : file;
        if (!target.startsWith(ROOT + path.sep) && target !== ROOT) broken.push(`${link} (outside the repository)`);
        else if (!existsSync(target)) broken.push(`${link} (no such file)`);
        else if (
          anchor &&
          statSync(target).isFile() &&
          target.endsWith(".md") &&
          !anchorsOf(readFileSync(target, "utf8")).has(anchor)
        )
          broken.push(`${link} (no heading #${anchor})`);
      }
      assert.deepEqual(broken, []);
    });
  }

  it("slugs headings as GitHub does", () => {
    const anchors = anchorsOf(
      "# Policies, as data (`lib/assurance/policy.ts`)\n## API: step-up for bearer tokens (RFC 9470)\n## Notes\n## Notes\n",
    );
    assert.deepEqual(
      [...anchors],
      ["policies-as-data-libassurancepolicyts", "api-step-up-for-bearer-tokens-rfc-9470", "notes", "notes-1"],
    );
  });
});
