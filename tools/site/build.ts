export function buildSite(outDir: string): string { return outDir; }
