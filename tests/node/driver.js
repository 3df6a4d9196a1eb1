'use strict';
// Drives the npm `perspective-api-client` package, unchanged, against `tenor serve` on
// 127.0.0.1:PORT (spec section 8): the package hard-codes Google's URL in a private const, so an
// axios request interceptor on the very axios instance the package resolves rewrites the host.
// Prints one JSON object with what the client returned; tests/test_serve_clients_node.py checks it.
const path = require('path');

const port = process.argv[2];
if (!port) {
  console.error('usage: node driver.js PORT');
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;
const pkgDir = path.dirname(require.resolve('perspective-api-client/package.json'));
const axios = require(require.resolve('axios', {paths: [pkgDir]}));
const seen = [];
axios.interceptors.request.use(config => {
  config.url = config.url.replace('https://commentanalyzer.googleapis.com', base);
  seen.push(config.url);
  return config;
});
const Perspective = require('perspective-api-client');

async function main() {
  const client = new Perspective({apiKey: 'k'});
  const out = {seen};
  out.toxicity = await client.analyze('You are a complete idiot and everyone knows it.');
  out.several = await client.analyze('<b>hello</b> there, friend', {attributes: ['toxicity', 'insult', 'threat']});
  out.full = await client.analyze({
    comment: {text: 'hello there'},
    languages: ['en'],
    requestedAttributes: {TOXICITY: {}},
    clientToken: 'node-1',
  });
  try {
    // validate: false lets the empty comment reach the server, which must answer 400.
    await client.analyze('', {validate: false});
    out.error = null;
  } catch (error) {
    out.error = {name: error.name, message: error.message, status: error.response && error.response.status};
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch(error => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
