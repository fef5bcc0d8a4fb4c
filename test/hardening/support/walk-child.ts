// Runs the file walk and the workspace load on argv[2] and prints what they saw as JSON. Started
// as an unprivileged user by the EACCES tests: root reads everything, so chmod 000 alone would
// prove nothing when the suite runs as root (as it does in CI).
import { collectFiles, readWorkspace, defaultConfig } from '../../../server/src/engine';

const dir = process.argv[2];
const walk = collectFiles([dir]);
const loaded = readWorkspace([dir], defaultConfig());
process.stdout.write(
  JSON.stringify({
    uid: process.getuid?.(),
    files: walk.files,
    skipped: walk.skipped,
    notices: walk.notices,
    loadedFiles: loaded.files,
    loadedNotices: loaded.notices,
    resources: loaded.ws.fileIds().flatMap(f => loaded.ws.file(f)?.resources.map(r => r.name) ?? []),
  }),
);
