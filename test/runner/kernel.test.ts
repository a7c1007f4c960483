import { test } from "node:test";
import assert from "node:assert/strict";
import { ephemeralLow, freePort, KernelClient } from "../../tools/runner/kernel";
import { PROJECT_ROOT } from "../../tools/kernel/spec";

test("kernel ports: below the ephemeral range, distinct within the process, bindable", async () => {
  const low = ephemeralLow();
  const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length);
  for (const p of ports) assert.ok(p >= 1024 && p < low, `port ${p} outside [1024, ${low})`);
});

test("four tslab kernels started at once all answer", { timeout: 180_000 }, async () => {
  const kernels = await Promise.all(Array.from({ length: 4 }, () => KernelClient.start({ cwd: PROJECT_ROOT })));
  try {
    const results = await Promise.all(kernels.map((k, i) => k.execute(`console.log(${i} * 7)`, 60_000)));
    results.forEach((r, i) => {
      assert.equal(r.status, "ok");
      assert.equal(String(r.outputs[0]?.text).trim(), String(i * 7));
    });
  } finally {
    await Promise.all(kernels.map((k) => k.shutdown()));
  }
});
