import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedSuite } from '../support/shared';

// The fresh-clone contract of test/support/shared.ts (issue 11 item 1).
test('a missing ../shared folder skips the suite with one line naming it', () => {
  const s = sharedSuite('no-such-folder-for-this-test', {});
  assert.equal(s.present, false);
  assert.equal(s.skip, 'skipped: ../shared/no-such-folder-for-this-test is not beside the repository (fresh clone)');
  assert.doesNotMatch(String(s.skip), /\n/);
});

test('KN_REQUIRE_SHARED=1 turns the absence into an error instead of a skip', () => {
  assert.throws(
    () => sharedSuite('no-such-folder-for-this-test', { KN_REQUIRE_SHARED: '1' }),
    /KN_REQUIRE_SHARED=1 but \.\.\/shared\/no-such-folder-for-this-test is missing/,
  );
});
