// Stops the processes tools/testenv/launcher/up.mjs started (by their pid files:
// SIGTERM, then SIGKILL after 10 s). Data stays in <repo>/.bosun/testenv/ for the next
// up; --purge deletes it, with .bosun/kubeconfig.
//
//   npm run testenv:down
//   npm run testenv:down -- --purge
import fs from 'node:fs';
import path from 'node:path';
import {
  COMPONENTS, bosunDir, customStateDir, dirs, elapsed, kubeconfigPath, log, pidFile, runningPid, stateDir, stopPid,
  testenvJsonPath,
} from './lib.mjs';

const purge = process.argv.includes('--purge');

async function main() {
  let stopped = 0;
  const stop = async (name) => {
    // runningPid checks that the pid still runs one of our binaries (not a recycled pid).
    const pid = runningPid(name);
    if (pid) {
      const how = await stopPid(pid);
      log(`${name}: stopped (pid ${pid}, SIG${how})`);
      stopped++;
    }
    fs.rmSync(pidFile(name), { force: true });
    fs.rmSync(pidFile(name).replace(/\.pid$/, '.spec'), { force: true });
  };
  // Everything that talks to the apiserver at once, then the apiserver, then etcd.
  await Promise.all(COMPONENTS.filter((n) => n !== 'etcd' && n !== 'kube-apiserver').map(stop));
  await stop('kube-apiserver');
  await stop('etcd');
  if (!stopped) log('nothing was running');
  // testenv.json describes a running cluster; tests treat its absence as "not up".
  fs.rmSync(testenvJsonPath, { force: true });
  if (purge) {
    if (!stateDir.startsWith(bosunDir + path.sep) && !customStateDir) {
      throw new Error(`refusing to delete ${stateDir}`);
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(kubeconfigPath, { force: true });
    log(`purged ${stateDir} and ${kubeconfigPath}`);
  } else if (fs.existsSync(dirs.etcd)) {
    log(`state kept in ${stateDir} (npm run testenv:down -- --purge deletes it)`);
  }
  log(`down in ${elapsed()}`);
}

main().catch((e) => {
  process.stderr.write(`[testenv] ERROR: ${e.message}\n`);
  process.exit(1);
});
