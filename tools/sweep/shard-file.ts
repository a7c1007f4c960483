// A shard's file: one slice of an ensemble's runs, written atomically with its key and the sha-256
// of its items, and read back only when both match. The ensembles of notebooks (spectra) and the
// stored ensembles (runs) keep their shards this way; the item field keeps its name in the file.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { requireJsonNumbers } from "../../lib/parallel/stored-ensemble";

/** What a shard file records about its slice. */
export interface ShardSlice {
  index: number;
  first: number;
  count: number;
  key: string;
}

/** OUT/shards/NNNN-KEY.json: the index keeps the files in run order, the key's prefix ties them to the plan. */
export function shardItemsPath(outDir: string, t: ShardSlice): string {
  return path.join(outDir, "shards", `${String(t.index).padStart(4, "0")}-${t.key.slice(0, 12)}.json`);
}

const sha256 = (items: unknown[]) => createHash("sha256").update(JSON.stringify(items)).digest("hex");

/** The shard's items (under `field`) when the file exists, is intact (hash checked) and is this slice's; else undefined. */
export function readShardItems<T>(outDir: string, t: ShardSlice, field: string): T[] | undefined {
  const f = shardItemsPath(outDir, t);
  if (!fs.existsSync(f)) return undefined;
  try {
    const s = JSON.parse(fs.readFileSync(f, "utf8")) as { key: string; sha256: string } & Record<string, unknown>;
    const items = s[field];
    return s.key === t.key && Array.isArray(items) && s.sha256 === sha256(items) && items.length === t.count
      ? (items as T[])
      : undefined;
  } catch {
    return undefined;
  }
}

/** Write the shard's items under `field`, atomically (a temporary file renamed into place). */
export function writeShardItems(outDir: string, t: ShardSlice, field: string, items: unknown[]): void {
  requireJsonNumbers(`shard ${t.index}`, items, field);
  const f = shardItemsPath(outDir, t);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  const tmp = `${f}.${process.pid}.tmp`;
  fs.writeFileSync(
    tmp,
    JSON.stringify({ key: t.key, first: t.first, count: t.count, sha256: sha256(items), [field]: items }),
  );
  fs.renameSync(tmp, f);
}
