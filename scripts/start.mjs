// `npm start`: build, then open the desktop app where Electron can run; otherwise start server mode and print the
// local URL (servers, machines where Electron's binary could not be downloaded, Linux without a display).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the binary's path, or throws when it is missing
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const build = run('npx', ['electron-vite', 'build']);
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = electronBinary();
const args = process.argv.slice(2);
const child =
  electron && hasDisplay && !args.includes('--server')
    ? spawn(electron, ['.', ...args], { stdio: 'inherit' })
    : (console.log(
        electron
          ? 'Sin pantalla disponible: Avisa inicia en modo servidor. / No display: starting Avisa in server mode.'
          : 'Electron no está instalado aquí: Avisa inicia en modo servidor. / Electron is not installed here: starting Avisa in server mode.',
      ),
      spawn(process.execPath, ['out/main/server.js', ...args.filter((a) => a !== '--server')], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
