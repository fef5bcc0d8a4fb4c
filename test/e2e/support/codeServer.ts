// One code-server (VS Code server + web workbench) per test file: fresh user-data, extensions
// and XDG folders in a temp dir, the freshly packaged .vsix installed into it, a private copy of
// a fixture workspace, bound to 127.0.0.1 on a free port.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerEntry, extensionId, fixturesDir, outputDir, vsixPath } from './paths';
import { freePort, start, stop, waitFor, Started } from './processes';

export interface CodeServer {
  url: string;
  /** The workspace folder as the server sees it (a copy of the fixture). */
  workspace: string;
  /** VS Code's user data folder; its `logs/` holds the extension host logs. */
  userData: string;
  pid: number;
  log: string;
  close(): Promise<void>;
}

export interface CodeServerOptions {
  fixture: string;
  /** false: the folder opens with Workspace Trust on and untrusted, i.e. in Restricted Mode. */
  trusted: boolean;
  name: string;
}

// Settings that make the workbench quiet and deterministic; none of them touches our extension.
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'editor.lightbulb.enabled': 'on',
  'files.autoSave': 'off',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  if (!existsSync(codeServerEntry))
    throw new Error(`code-server not installed at ${codeServerEntry}; run scripts/e2e/setup.sh`);
  if (!existsSync(vsixPath)) throw new Error(`no .vsix at ${vsixPath}; run npm run package`);
  const home = mkdtempSync(join(tmpdir(), `kn-e2e-${opts.name}-`));
  const dirs = {
    userData: join(home, 'user-data'),
    extensions: join(home, 'extensions'),
    xdgConfig: join(home, 'xdg-config'),
    xdgData: join(home, 'xdg-data'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  const config = join(home, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const workspace = join(home, 'workspace', opts.fixture);
  cpSync(join(fixturesDir, opts.fixture), workspace, { recursive: true });

  // code-server keeps its own state under XDG folders; point them into the temp dir too.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: join(home, 'xdg-cache'),
  };
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  mkdirSync(outputDir, { recursive: true });
  const log = join(outputDir, `code-server-${opts.name}.log`);
  writeFileSync(log, '');

  execFileSync(process.execPath, [codeServerEntry, ...common, '--install-extension', vsixPath, '--force'], {
    env,
    stdio: 'pipe',
    timeout: 120_000,
  });
  const listed = execFileSync(process.execPath, [codeServerEntry, ...common, '--list-extensions'], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (!listed.toLowerCase().includes(extensionId.toLowerCase()))
    throw new Error(`${extensionId} not installed; --list-extensions said:\n${listed}`);

  const port = await freePort();
  const proc: Started = start(
    process.execPath,
    [
      codeServerEntry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(opts.trusted ? ['--disable-workspace-trust'] : []),
      workspace,
    ],
    { env, log },
  );
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  proc.child.once('exit', () => {
    exited = true;
  });
  await waitFor(
    'code-server to answer /healthz',
    async () => {
      if (exited) throw new Error(`code-server exited; see ${log}`);
      const r = await fetch(`${base}/healthz`).catch(() => undefined);
      return r?.ok ? true : undefined;
    },
    60_000,
  );

  return {
    url: `${base}/?folder=${encodeURIComponent(workspace)}`,
    workspace,
    userData: dirs.userData,
    pid: proc.pid,
    log,
    async close() {
      await stop(proc);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
