/**
 * First-load JS of a page as a browser gets it: every script the server-rendered HTML loads
 * (`<script src>`), fetched from the running production server and gzipped (level 9, as the sizes
 * `next build` used to print). Next 16's build output no longer lists sizes, so the bench measures
 * what is actually served, for Vault's pages and the bare app's alike.
 */
import { gzipSync } from "node:zlib";
import { request, type Endpoint } from "../support/server-actions";

export type PageWeight = { path: string; status: number; scripts: number; rawBytes: number; gzipBytes: number };

const scriptCache = new Map<string, { raw: number; gzip: number }>();

export async function firstLoadJs(endpoint: Endpoint, path: string, cookie = ""): Promise<PageWeight> {
  const page = await request(endpoint, path, { headers: cookie ? { cookie } : {} });
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}, expected the page`);
  const sources = [
    ...new Set([...page.body.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1].replaceAll("&amp;", "&"))),
  ];
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const src of sources) {
    const key = `${endpoint.url}${src}`;
    let size = scriptCache.get(key);
    if (!size) {
      const script = await request(endpoint, src);
      if (script.status !== 200) throw new Error(`GET ${src} (from ${path}) answered ${script.status}`);
      const body = Buffer.from(script.body, "utf8");
      size = { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
      scriptCache.set(key, size);
    }
    rawBytes += size.raw;
    gzipBytes += size.gzip;
  }
  return { path, status: page.status, scripts: sources.length, rawBytes, gzipBytes };
}
