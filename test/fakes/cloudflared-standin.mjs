// A stand-in for Cloudflare's `cloudflared` CLI in tests: it takes the same arguments Avisa passes, prints the log
// lines the real CLI prints (timestamped, to stderr, the quick tunnel's address in an ASCII box), and forwards HTTP
// from its own local port to the origin, as the tunnel forwards from the public address. It opens no outside
// connection. CLOUDFLARED_STANDIN_PIDFILE, when set, receives its process id (so a test can kill it).

import http from 'node:http';
import fs from 'node:fs';

const args = process.argv.slice(2);
const log = (level, text) => process.stderr.write(`${new Date().toISOString()} ${level} ${text}\n`);
if (process.env.CLOUDFLARED_STANDIN_PIDFILE) fs.writeFileSync(process.env.CLOUDFLARED_STANDIN_PIDFILE, String(process.pid));

const urlAt = args.indexOf('--url');
const named = args.includes('run');
let origin;
if (named) {
  if (!process.env.TUNNEL_TOKEN) {
    log('ERR', '"cloudflared tunnel run" requires the ID or name of the tunnel to run as the last command line argument or in the configuration file.');
    process.exit(1);
  }
  // A named tunnel's ingress lives in Cloudflare's dashboard; the stand-in reads it from the environment.
  origin = process.env.CLOUDFLARED_STANDIN_ORIGIN;
} else if (urlAt >= 0) {
  origin = args[urlAt + 1];
}
if (args[0] !== 'tunnel' || !origin) {
  log('ERR', 'stand-in: expected "tunnel --url <origin>" or "tunnel run" with TUNNEL_TOKEN');
  process.exit(2);
}
log('INF', 'Starting tunnel tunnelID=');
log('INF', `Version 2025.8.0 (Checksum stand-in)`);

const target = new URL(origin);
const server = http.createServer((req, res) => {
  const forward = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forward.on('error', (error) => {
    log('ERR', `Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: ${error.message}`);
    res.writeHead(502).end();
  });
  req.pipe(forward);
});
const port = Number(process.env.CLOUDFLARED_STANDIN_PORT ?? 0);
server.listen(named ? port : 0, '127.0.0.1', () => {
  const address = `http://127.0.0.1:${server.address().port}`;
  if (named) {
    log('INF', 'Registered tunnel connection connIndex=0 connection=00000000-0000-0000-0000-000000000000 event=0 ip=127.0.0.1 location=lim01 protocol=quic');
    return;
  }
  const lines = ['Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):', address];
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  log('INF', `+${'-'.repeat(width)}+`);
  for (const l of lines) log('INF', `|  ${l.padEnd(width - 4)}  |`);
  log('INF', `+${'-'.repeat(width)}+`);
});
const quit = () => {
  log('INF', 'Initiating graceful shutdown due to signal terminated ...');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on('SIGTERM', quit);
process.on('SIGINT', quit);
