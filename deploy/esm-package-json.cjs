// esbuild plugins for serverless-esbuild (`custom.esbuild.plugins` in serverless.yml).
//
// The bundles are ES modules named `<handler>.js`: the one name both Lambda and `serverless invoke local`
// load (osls requires `<handler>`, then `<handler>.cjs`, and on ERR_REQUIRE_ESM imports `<handler>.js`; it
// never looks for `.mjs`). Node reads a `.js` file as an ES module only under a package.json that says so,
// and serverless-esbuild leaves the repository's own out of the zip: each bundle's folder gets one.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** Writes `{"type": "module"}` as package.json beside the bundle, once it is built. */
const esmPackageJson = {
  name: 'esm-package-json',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const { outdir } = build.initialOptions;
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
    });
  },
};

module.exports = [esmPackageJson];
