// Loaded with `node --require` in front of the CLI (NODE_OPTIONS for the single binaries),
// and installed in every jest worker, so that this computer's DNS answers as a test chooses
// and no query leaves the machine. Both ways the tool asks it are redirected to the loopback
// DNS server named in VPF_TEST_SYSTEM_DNS (ip:port):
// - dns.lookup (getaddrinfo, what the tool reports as "this computer's DNS"). Addresses
//   are returned as they are, as getaddrinfo does.
// - direct queries to the servers this computer is configured with (/etc/resolv.conf, as
//   Node read it at start): the report still names them, the loopback server answers.
// Test code only; the product never loads it.
'use strict';
const dns = require('node:dns');
const { isIP } = require('node:net');

const INSTALLED = Symbol.for('vpn-preflight.test.system-dns');

/** `1.2.3.4`, `1.2.3.4:53`, `[::1]:53` and `::1` name the same server on port 53. */
function serverKey(s) {
  const m = /^\[(.+)\](?::(\d+))?$/.exec(s) ?? (isIP(s) ? [s, s, undefined] : /^([^:]+)(?::(\d+))?$/.exec(s));
  return m ? `${m[1].toLowerCase()}:${m[2] ?? '53'}` : s;
}

/** Whether this process's DNS is already redirected. */
function installed() {
  return dns.lookup[INSTALLED] === true;
}

/**
 * Sends this process's system lookups, and its direct queries to the servers it is
 * configured with, to `server` (ip:port). Once per process: a second call is ignored.
 */
function install(server) {
  if (installed()) return;
  const configured = new Set(dns.getServers().map(serverKey));
  const setServers = dns.Resolver.prototype.setServers;
  dns.Resolver.prototype.setServers = function redirectedSetServers(servers) {
    return setServers.call(this, servers.map((s) => (configured.has(serverKey(s)) ? server : s)));
  };
  const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([server]);

  const lookup = function lookup(host, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'object' && options !== null ? options : { family: Number(options) || 0 };
    const family = opts.family === 'IPv6' ? 6 : opts.family === 'IPv4' ? 4 : Number(opts.family) || 0;
    const done = (err, list) => {
      if (err) return process.nextTick(cb, err);
      if (opts.all) return process.nextTick(cb, null, list);
      if (list.length === 0) return process.nextTick(cb, Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }));
      process.nextTick(cb, null, list[0].address, list[0].family);
    };
    if (isIP(host)) return done(null, [{ address: host, family: isIP(host) }]);
    const ask = (type) =>
      new Promise((resolve, reject) => {
        const f = type === 4 ? resolver.resolve4.bind(resolver) : resolver.resolve6.bind(resolver);
        f(host, (err, addrs) => (err ? (err.code === 'ENODATA' ? resolve([]) : reject(err)) : resolve(addrs.map((address) => ({ address, family: type })))));
      });
    Promise.all(family === 0 ? [ask(4), ask(6)] : [ask(family)]).then(
      (lists) => {
        const list = lists.flat();
        if (list.length === 0) return done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }));
        done(null, list);
      },
      (err) => done(err),
    );
  };
  lookup[INSTALLED] = true;
  dns.lookup = lookup;
}

module.exports = { install, installed };

if (process.env.VPF_TEST_SYSTEM_DNS) install(process.env.VPF_TEST_SYSTEM_DNS);
