// Loaded with `node --require` in front of the CLI by tests that need this computer's own
// resolver to answer as they choose, and to stay on this machine: dns.lookup (getaddrinfo,
// what the tool reports as "this computer's DNS") asks the loopback DNS server named in
// VPF_TEST_SYSTEM_DNS (ip:port) instead. Addresses are returned as they are, as getaddrinfo
// does. Test code only; the product never loads it.
'use strict';
const dns = require('node:dns');
const { isIP } = require('node:net');

const server = process.env.VPF_TEST_SYSTEM_DNS;
if (server) {
  const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([server]);
  dns.lookup = function lookup(host, options, callback) {
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
}
