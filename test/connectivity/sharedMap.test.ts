import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SharedMap } from '../../server/src/engine/connectivity/sharedMap';

describe('SharedMap: versions that share entries', () => {
  it('each version answers as the plain map of its own entries, and earlier versions do not change', () => {
    const plain = new Map<number, string>();
    for (let i = 0; i < 200; i++) plain.set(i, `v${i}`);
    let version = SharedMap.of(new Map(plain));
    const history: [SharedMap<number, string>, Map<number, string>][] = [[version, new Map(plain)]];
    // Enough edits that the changes outgrow the shared entries (the next version is one map again).
    for (let step = 0; step < 120; step++) {
      const draft = version.edit();
      const k = (step * 7) % 260;
      if (step % 3 === 0) {
        draft.delete(k);
        plain.delete(k);
      } else {
        draft.set(k, `s${step}`);
        plain.set(k, `s${step}`);
      }
      assert.equal(draft.get(k), plain.get(k));
      version = draft.done();
      history.push([version, new Map(plain)]);
    }
    for (const [v, expected] of history)
      for (let k = 0; k < 260; k++) assert.equal(v.get(k), expected.get(k), `key ${k}`);
  });
});
